"""ConnectionStringRecognizer: the password inside URLs, JDBC / ODBC / ADO.NET strings, Go DSNs and Oracle
logins; placeholders, references and well-known defaults are not reported (or score low)."""
from __future__ import annotations

import pytest

from proxy.detection.recognizers.credential_connection_string import ConnectionStringRecognizer

from ._support import check_table_row

REC = ConnectionStringRecognizer()
C = "CONNECTION_STRING_PASSWORD"

POSITIVES = [
    ("DATABASE_URL=postgresql://oa_app:Xk9mP2qLz8@db.internal:5432/oa", C, "Xk9mP2qLz8"),
    ("engine = create_engine('mysql+pymysql://root:Qh@2024!db#Prod7@10.12.3.45:3306/qinghe_oa')", C,
     "Qh@2024!db#Prod7"),
    ("MONGO_URI=mongodb+srv://admin:M0ng0Pa55w0rd@cluster0.ab1cd.mongodb.net/test?retryWrites=true", C,
     "M0ng0Pa55w0rd"),
    ("CELERY_BROKER_URL = 'redis://:R3disPwd2024@10.0.0.8:6379/0'", C, "R3disPwd2024"),
    ("amqp://mq_user:Rabb1t%40Mq22@mq.example.cn:5672/vhost", C, "Rabb1t%40Mq22"),
    ("ftp://backup:Bk2024ftp!@files.example.cn/archive/", C, "Bk2024ftp!"),
    ("git clone https://zhangwei:Gz8#kP2xLm@git.example.cn/oa/portal.git", C, "Gz8#kP2xLm"),
    ("连接串：jdbc:mysql://10.1.2.3:3306/oa?user=root&password=Jdbc#2024pw&useSSL=false", C, "Jdbc#2024pw"),
    ("jdbc:sqlserver://db01:1433;databaseName=HR;user=sa;password=Sql$erver2024;", C, "Sql$erver2024"),
    ('"ConnectionStrings": {"Default": "Server=10.0.0.3;Database=HR;User Id=sa;Password=Ado#Net2024x;"}', C,
     "Ado#Net2024x"),
    ("Driver={ODBC Driver 17 for SQL Server};Server=db;Uid=report;Pwd={Odbc;Pwd2024};", C, "Odbc;Pwd2024"),
    ("Data Source=ORCL;User ID=hr;Password=Hr_0racle88;", C, "Hr_0racle88"),
    ("Host=pg.example.cn;Port=5432;Username=app;Password=PgAdo!2024;Database=oa", C, "PgAdo!2024"),
    ('dsn := "root:G0Dsn#pass@tcp(127.0.0.1:3306)/oa?charset=utf8mb4"', C, "G0Dsn#pass"),
    ("sqlplus scott/Or4cle#2024@//db.example.cn:1521/ORCL", C, "Or4cle#2024"),
    ("expdp system/Exp9dp!2024 directory=DUMP dumpfile=oa.dmp", C, "Exp9dp!2024"),
]

NEGATIVES = [
    "https://user:password@example.com",
    "postgresql://user:pass@localhost:5432/db",
    "mysql://${DB_USER}:${DB_PASS}@db:3306/app",
    "postgres://app:<password>@db:5432/oa",
    "redis://:******@10.0.0.8:6379/0",
    "DATABASE_URL=postgresql://{user}:{password}@{host}/{db}",
    "See http://example.com:8080/api@v2 for details",
    "git clone https://github.com/org/repo.git",
    "https://example.com/path?page=2&sort=desc",
    "Server=db;Database=HR;Trusted_Connection=True;",
    "Server=db;Database=HR;User Id=sa;Password=;",
    "jdbc:mysql://10.1.2.3:3306/oa?user=root&password=${MYSQL_PASSWORD}",
    "sqlplus / as sysdba",
    "Please connect to/from the VPN before logging in.",
    "ftp://anonymous:guest@ftp.example.org/pub",
    "mailto:someone@example.com",
    "mhu = MultiHostUrl('https://foo.com:123,foo:bar@bar.com/path')",
]


@pytest.mark.parametrize("text,entity,span", POSITIVES)
def test_password_in_connection_string_found(text: str, entity: str, span: str) -> None:
    check_table_row(REC, text, entity, span)


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_password_reported(text: str) -> None:
    check_table_row(REC, text, None, None)


def test_only_the_password_is_reported() -> None:
    text = "postgresql://oa_app:Xk9mP2qLz8@db.internal:5432/oa"
    [r] = REC.analyze(text)
    assert text[r.start:r.end] == "Xk9mP2qLz8" and r.score >= 0.75
    assert "Xk9m" not in r.recognition_metadata["why"]


def test_well_known_default_scores_low() -> None:
    [r] = REC.analyze("postgres://postgres:postgres@localhost:5432/test")
    assert r.score < 0.5
