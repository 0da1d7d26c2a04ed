"""PasswordRecognizer: a password VALUE next to a password label, in config, code, command lines, tables and
Chinese / English prose; variable names, references, placeholders and talk about passwords are not."""
from __future__ import annotations

import pytest

from proxy.detection.recognizers.credential_password import PasswordRecognizer

from ._support import check_table_row

REC = PasswordRecognizer()
P = "PASSWORD"

POSITIVES = [
    # env / ini / properties / yaml / json / xml
    ("DB_HOST=10.12.3.45\nDB_USER=qh_admin\nDB_PASSWORD=Qh@2024!db#Prod7\nDB_NAME=qinghe_oa", P, "Qh@2024!db#Prod7"),
    ("export PGPASSWORD=Pg_s3cret2024\npsql -h db -U app oa", P, "Pg_s3cret2024"),
    ("SMTP_HOST=smtp.example.cn\nSMTP_PASS=Qh&1997*uxbq,x\n", P, "Qh&1997*uxbq,x"),
    ("密码：InUhtUrEpcP", P, "InUhtUrEpcP"),
    ("[mysql]\nhost = 10.0.0.5\nuser = report\npassword = Rep0rt#2024", P, "Rep0rt#2024"),
    ("spring.datasource.username=oa\nspring.datasource.password=Sp@ring2024x", P, "Sp@ring2024x"),
    ("datasource:\n  url: jdbc:mysql://10.0.0.9:3306/oa\n  username: oa_app\n  password: Oa2024app!", P, "Oa2024app!"),
    ('{"username": "svc_sync", "password": "J50n!Pass2024", "host": "10.0.0.2"}', P, "J50n!Pass2024"),
    ("<server>\n  <id>nexus</id>\n  <username>deploy</username>\n  <password>Mvn#Deploy2024</password>\n</server>", P,
     "Mvn#Deploy2024"),
    ('<add key="DbPassword" value="Ado#Net2024x"/>', P, "Ado#Net2024x"),
    ("requirepass R3d1s!Conf2024", P, "R3d1s!Conf2024"),
    ("machine ftp.example.cn login backup password Bk2024ftp!x", P, "Bk2024ftp!x"),
    # code
    ('conn = pymysql.connect(host="10.0.0.5", user="root", password="Py#mysql2024", db="oa")', P, "Py#mysql2024"),
    ("const pool = mysql.createPool({ user: 'app', password: 'N0de!Pool88', database: 'oa' });", P, "N0de!Pool88"),
    ('$db_pass = "Php$2024pass";', P, "Php$2024pass"),
    ("'password' => 'Lar@vel2024',", P, "Lar@vel2024"),
    ('ds.setPassword("Jav@Ds2024");\nds.password = "Jav@Ds2024"', P, "Jav@Ds2024"),
    ("if password == 'Adm1n#2024':\n    grant()", P, "Adm1n#2024"),
    ("CREATE USER 'report'@'%' IDENTIFIED BY 'Rpt#2024sql';", P, "Rpt#2024sql"),
    ("ALTER USER app WITH PASSWORD 'Pg#Alter2024';", P, "Pg#Alter2024"),
    ('DruidDataSource ds = new DruidDataSource();\nds.setUsername("fin_app");\nds.setPassword("F1n@nce#2024");', P,
     "F1n@nce#2024"),
    ('DataSourceBuilder.create().username("etl").password("Bu1lder!2024").build();', P, "Bu1lder!2024"),
    ('System.setProperty("spring.datasource.password", "Pr0p#2024x");', P, "Pr0p#2024x"),
    ("r = requests.get(url, auth=('admin', 'Rq#admin2024'), timeout=5)", P, "Rq#admin2024"),
    # command lines
    ("mysql -h 10.0.0.5 -u root -pS3cr3t!x2 qinghe_db", P, "S3cr3t!x2"),
    ("mysqldump -uroot -pB@ckup2024! --all-databases > /backup/all.sql", P, "B@ckup2024!"),
    ("sshpass -p 'Tr0ub4dor&3' ssh admin@10.1.1.1", P, "Tr0ub4dor&3"),
    ("redis-cli -h 10.2.3.4 -p 6379 -a R3d1s!Pass9 ping", P, "R3d1s!Pass9"),
    ("curl -u admin:Adm1n#2024x https://jenkins.example.cn/api/json", P, "Adm1n#2024x"),
    ("docker login -u ci -p Dk9#ffLm2q registry.example.cn", P, "Dk9#ffLm2q"),
    ("mysqldump --user=root --password=Dump#2024x oa > oa.sql", P, "Dump#2024x"),
    # Chinese prose and forms
    ("数据库密码是 Xy7#kL9q，别告诉别人", P, "Xy7#kL9q"),
    ("服务器root密码：Lz@2024#srv", P, "Lz@2024#srv"),
    ("VPN 口令已改为 Qw3rty!Zx9，明天生效", P, "Qw3rty!Zx9"),
    ("账号：zhangwei 密码：zw_880613!", P, "zw_880613!"),
    ("服务器登录信息：IP 10.1.2.3，用户名 root，密码 Lz#2024srv", P, "Lz#2024srv"),
    ("邮箱 zhang@example.cn，登录密码为 Zhang@2024mail", P, "Zhang@2024mail"),
    ("管理员账号/密码：admin/Adm#qh2024", P, "admin/Adm#qh2024"),
    ("WiFi：Office-5F  密码：qh88886666", P, "qh88886666"),
    ("银行卡密码是739182，帮我记一下", P, "739182"),
    ("帮我写个脚本自动登录，密码Abc@12345，用户名 wangli", P, "Abc@12345"),
    ("密碼：Tw#2024pass", P, "Tw#2024pass"),
    ("admin 的初始密码我改成了 Lz!2024#adm，你帮我记一下", P, "Lz!2024#adm"),
    ("LDAP 绑定账号 cn=admin,dc=lzsf,dc=cn  绑定密码：Ld@pBind2024", P, "Ld@pBind2024"),
    ("VPN 登录：工号 20190345 / 口令 Vpn#20190345x", P, "Vpn#20190345x"),
    ("ssh root@10.2.2.2 的密码是 R00t!Lzsf，服务器上跑的是教务系统", P, "R00t!Lzsf"),
    # English prose
    ("the password for the vpn is Hk2#mPq8Lz", P, "Hk2#mPq8Lz"),
    ("Username: jdoe / Password: P4ss!word2024", P, "P4ss!word2024"),
    ("My password is 'hunter2x7' - can you check it is strong?", P, "hunter2x7"),
    ("The admin password was changed to Zq8!mW2x yesterday.", P, "Zq8!mW2x"),
    ("The root password on the backup NAS: 9xQ#mW2kLp", P, "9xQ#mW2kLp"),
    # tables
    ("| 系统 | 账号 | 密码 |\n|------|------|------|\n| OA | admin | Oa#2024qh! |\n| 邮件 | zhangwei | Mail@88zw |", P,
     "Oa#2024qh!"),
    ("用户名,密码,备注\nzhangsan,Zs@2024!x,教务处\nlisi,Ls#9981pq,人事处", P, "Ls#9981pq"),
    ("host\tuser\tpassword\n10.0.0.5\troot\tTsv#2024root", P, "Tsv#2024root"),
]

NEGATIVES = [
    # names and references, not values
    'password = os.environ["DB_PASSWORD"]',
    'password = os.environ.get("DB_PASSWORD", "")',
    "password: ${DB_PASSWORD}",
    'password: "{{ secrets.DB_PASSWORD }}"',
    "DB_PASSWORD: {{ .Values.db.password | quote }}",
    "spring.datasource.password=${DB_PASSWORD:}",
    "'password' => env('DB_PASSWORD', ''),",
    "db_password = config.get('database', 'password')",
    "PASSWORD=$1",
    "password=%(password)s",
    "password = getpass.getpass('Password: ')",
    "password = input()",
    "'password': self.password,",
    "def login(username, password):\n    return auth.check(username=username, password=password)",
    "if password == confirm_password:",
    "password: str",
    "interface User { password?: string; passwordHash: string }",
    "password = secrets.token_urlsafe(16)",
    "password: !vault |\n          $ANSIBLE_VAULT;1.1;AES256",
    "password: ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)",
    # placeholders and masks
    "password: ******",
    "password: changeme",
    'password: ""',
    "  password: <填入密码>",
    "password=REPLACE_ME",
    "DB_PASSWORD=\nDB_USER=",
    "password: your_password_here",
    "密码：********",
    "密码：[已隐藏]",
    # well-known defaults (low score) and descriptions
    "初始密码为123456，首次登录后请修改密码。",
    "默认账号 admin，密码 admin",
    "postgres default: user postgres, password postgres",
    # prose about passwords
    "请修改初始密码",
    "忘记密码怎么办？",
    "第2章 密码学基础（6学时）",
    "密码长度为8位以上，须包含大小写字母和数字",
    "密码为8位以上字母数字组合",
    "初始密码为身份证号后六位，请登录后及时修改。",
    "密码错误次数超过5次将锁定账号",
    "如忘记密码，请拨打 400-123-4567",
    "本系统密码为AES-256加密存储",
    "Wi-Fi 密码为 WPA2-PSK 加密",
    "我的密码是什么来着？",
    "密码和确认密码不一致",
    "口令红包：恭喜发财",
    "腾讯会议：会议号 482-193-775，会议密码：2468",
    "Zoom meeting ID 812 3456 7890, meeting password: 739182",
    '{"forgotPassword": "忘记密码？", "password": "密码", "enterPassword": "Enter your password"}',
    "test_user = User(username='alice', password='test123')",
    'client.login(username="admin", password="Password@2024")',
    "The password is required.",
    "Your password must contain at least 8 characters.",
    "Password: see vault",
    "Password reset link sent to your e-mail.",
    "PasswordAuthentication no",
    "password_hash = '$2b$12$KIXQJ8Zk1Xx9cY8v7p6QeOq3VvHh1Z2zY5mN4bW3cR2tE1sA0dF9G'",
    "<input type=\"password\" name=\"password\" placeholder=\"请输入密码\">",
    "passport: E12345678",
    "bypass: true",
    "cwd=/home/user; PWD=/home/user/project",
    "| 字段 | 类型 | 说明 |\n| password | varchar(64) | 密码哈希 |",
    "用户名,密码\nzhangsan,${PASSWORD}",
    "mysql -u root -p\nEnter password:",
    "mysql -h db -P 3306 -u root -p oa",
    'hashed = hashPassword("Hash#Me2024")',
    'checkPassword("Chk#2024x")',
    "Failed password for root from 10.0.0.1 port 22 ssh2",
    'psql: FATAL:  password authentication failed for user "postgres"',
    "pass: 3, fail: 1, skipped: 0",
    "PASS: test_login_ok",
    # lines seen in real files that a looser reader reported
    'user="ftp"\npasswd="anonymous@domain.org"',
    "apt\tpackagekit-tools\t1.2.6-5\napt\tpasswd\t1:4.13+dfsg1-1+deb12u1\napt\tpatch\t2.7.6-7",
    "PASSWORD\t\t\t\t\t\t*netrw-passwd*",
    '"auxpass": "auxiliary (passive)",',
    "# Pass allow_yanked=False to ignore yanked versions",
    "序列密码 13.2075304714\n转轮密码 13.900677652",
    "conn = Connection(\n    key_password=self.key_password,\n    cert_reqs=self.cert_reqs,\n    ca_certs=self.ca_certs,\n)",
    "password: OAuthFlowPassword | None = None",
    "  printf(&quot;Password is correct.&quot;);\nelse\n  printf(&quot;Password is incorrect.&quot;);",
]


@pytest.mark.parametrize("text,entity,span", POSITIVES)
def test_password_found(text: str, entity: str, span: str) -> None:
    check_table_row(REC, text, entity, span)


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_password_reported(text: str) -> None:
    check_table_row(REC, text, None, None)


@pytest.mark.parametrize("text,value", [
    ("DB_PASSWORD=Qh@2024!db#Prod7", "Qh@2024!db#Prod7"),
    ("数据库密码是 Xy7#kL9q", "Xy7#kL9q"),
    ('"password": "J50n!Pass2024"', "J50n!Pass2024"),
])
def test_real_looking_value_scores_at_least_075_and_why_is_fixed(text: str, value: str) -> None:
    [r] = REC.analyze(text)
    assert text[r.start:r.end] == value and r.score >= 0.75
    assert value not in r.recognition_metadata["why"] and value[:4] not in r.recognition_metadata["why"]


def test_well_known_default_is_reported_below_threshold() -> None:
    [r] = REC.analyze("初始密码为123456，首次登录后请修改密码。")
    assert r.score < 0.5
