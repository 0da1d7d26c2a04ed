"""Non-public content on texts of our OWN (other organisations, topics, wording and prompt wrappers than the
development corpus), through the whole engine with the default policy.

Sets (each: non-public texts that must be blocked, hard negatives that must not be):
* TUNE_*  - written first and used while tuning the lexicons and weights;
* HELD1_* - written before tuning, measured once (19/25 found, 0/25 false positives), then used for tuning;
* HELD2_* - written after HELD1 had been used, measured once (5/25 found, 0/25 false positives), then used;
* HELD3_* - written after HELD2 had been used, measured once (6/20 found, 1/20 false positives), then used;
* HELD4_* - written after HELD3 had been measured and before the changes that followed, never used for
  tuning: only measured (test_held_out_numbers: 9/12 found, 0/12 false positives). It is the honest estimate
  of how the scorer does on material it was not shaped for.

Also unit tests of the scorer: per-theme findings, counter-evidence, ``why`` hygiene, lexicon files.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from proxy.detection.engine import DetectionEngine
from proxy.detection.recognizers import default_recognizers
from proxy.detection.recognizers.cn_official_structure import CnOfficialStructureRecognizer
from proxy.detection.scorers import lexicon as lexmod
from proxy.detection.scorers.nonpublic import CATEGORY, ENTITY, THEMES, NonpublicContentScorer
from proxy.detection.scorers.official_document import OfficialDocumentScorer
from proxy.policy.evaluate import evaluate
from proxy.policy.loader import load_policy
from proxy.text.normalize import normalize

POLICY = Path(__file__).resolve().parents[2] / "policies" / "default.yaml"

#: non-public, other wording (used while tuning)
TUNE_BLOCK = [
    '关于南湾区住建局原副局长郝建军违纪违法案的审理报告\n一、被审查人基本情况（略）\n二、违纪违法事实\n郝建军在担任副局长期间，违规干预工程招投标，收受他人财物共计132万元。\n三、审理意见\n审理组认为，郝建军严重违反党的纪律，建议给予其开除党籍处分，由监察机关给予开除公职处分。',
    '问题线索处置情况登记（2025年第一季度）\n线索编号QX-2025-011：反映区教育局基建科科长在校舍维修中收受回扣，处置方式：初步核实，承办部门：第三监督检查室。\n线索编号QX-2025-014：反映某街道办主任违规发放津贴，处置方式：谈话函询。\n线索编号QX-2025-019：反映内容笼统，暂存待查。',
    '帮我润色这封邮件，语气更正式：\n张主任：关于对区交通局原科长余振海采取留置措施的请示，委领导已签批，留置期限三个月，请案管室今天下午办理审批手续，专案组明早进驻留置点。',
    '市委第一巡察组巡察市文旅局党组发现问题清单（征求意见稿）\n1. 局党组会议记录显示，2023年6项重大支出未经集体研究；\n2. 个别谈话中反映，局长在景区经营权出让中为亲属公司打招呼；\n3. 发现问题线索3件，拟移交市纪委监委。',
    '巡视个别谈话情况汇总（第二组）\n本轮共个别谈话87人次，其中反映党委书记作风霸道的14人次，反映副校长李某在招生中违规加分的6人次。谈话记录已封存，反映人信息严格保密。',
    '全县科级干部调整建议方案（第三稿）\n拟提拔正科级：县统计局副局长段文博、桃坪镇副镇长邹晴；\n拟交流任职：县委办副主任卫东调任县信访局局长；\n拟免职：县林业局副局长因年度考核不称职拟免去现职。\n本方案提交县委常委会研究前，请严格控制知悉范围。',
    '关于龚雪梅同志的考察材料\n龚雪梅，女，1985年3月生，现任市财政局预算科科长。民主推荐中，会议推荐得票38票，谈话推荐得票位列第一。考察组认为，该同志政治素质好，业务能力强，建议作为市财政局副局长人选。',
    '把下面这些做成一页PPT：本次处级干部选拔共有12名同志进入考察环节，其中拟提拔的8人已征求纪委意见，2人因信访举报需核实暂缓使用，考察结束后提交常委会票决。',
    '来访登记\n来访人：魏红英，身份证号320102196805123426，住南湾区建设路17号\n反映问题：所在社区居委会主任在低保评定中优亲厚友，收受好处费。\n接访人意见：转区纪委，告知来访人不要向其他人透露已来访。',
    '尊敬的省纪委领导：\n我是南湾区财政局的会计陆晨，现实名举报我局局长虚列支出套取资金。我愿意配合调查，但请不要泄露我的身份，我的联系电话是13605812794。',
    '关于南山营区防空阵地调整的报告\n现阵地位于南山主峰北侧，配属高炮一个连、便携式防空导弹分队2个，担负机场方向防空任务。拟将二号阵地前移1.5公里，新建地下掩体3处，工程计划于8月开工。',
    '关于某型反舰导弹第三次飞行试验的情况报告\n试验于9月21日在东海某试验区进行，导弹飞行距离310公里，命中精度偏差2.3米，末段突防试验因目标模拟器故障未完成。建议11月组织补充试验。',
    '帮我检查一下这套题有没有错误，下周一考：\n2025年南湾区初三第一次模拟考试数学试卷\n一、选择题（每小题4分，共40分）\n1. -3的绝对值是（\u3000）A. 3  B. -3  C. 1/3  D. -1/3\n2. 下列运算正确的是（\u3000）',
    '南湾大道改造工程标底及评标办法（送审稿）\n标底价：2,418.6万元；评标基准价计算方法：去掉一个最高报价和一个最低报价后取平均值下浮3%。开标前本材料由招标办封存。',
    '第一季度全区财政收入快报（内部参考数，尚未对外发布）\n一般公共预算收入完成12.6亿元，同比下降8.3%，其中税收收入下降11.2%。土地出让收入仅完成年度预算的9%。',
    '关于调整全市义务教育阶段学区划分的工作方案（征求意见稿，仅限教育系统内部讨论）\n一、将实验小学东校区划入第三学区；二、取消二中初中部的跨区招生。本方案待市政府审定后由教育局统一对外发布，各校不得提前透露。',
    '国庆期间重点部位安保部署\n天安广场设置便衣巡逻组6个，制高点观察哨3处，特警机动队驻守地下车库，反无人机设备2套分设东西两侧。每日勤务安排由指挥部另行下达。',
    'Summarise this for my team: Internal roadmap, not for external distribution. Project Halcyon ships in Q2 next year with the new pricing tier ($59/user). We will sunset the legacy API in September; customers will not be told until the public announcement on 1 March.',
    'Confidential HR note for the dean: the promotion committee has recommended Dr. Alan Price and Dr. Mei Lin for full professor; the decision has not been announced. Dr. Kevin Ross will be held back pending the outcome of the misconduct inquiry.',
    'Draft press release – embargoed, do not circulate: Westbrook Holdings has agreed to acquire Lumen Data for $340 million. The deal has not been announced and the board vote is scheduled for Thursday.',
    'Post-incident review (internal): the ransomware entered via an unpatched Exchange server on 11 Feb; 42 servers were encrypted and backups for the finance share were lost. Customers have not been informed and the breach has not been disclosed.',
    '把这个表格转换成段落：涉访重点人员名单：冯国强（拆迁补偿诉求，多次进京）、包桂兰（医疗纠纷），敏感时期由所在街道落实专人稳控，发现异动立即报告。',
    '谈话记录\n谈话对象：财务科科长施云\n谈话人：区纪委第二审查调查室 王、刘\n问：你是否知道专项资金被挪用的情况？\n答：知道一部分，是局长让我先把钱转到下属公司的账上。',
    'Bid evaluation summary (do not disclose before award): Vendor A scored 87.5, Vendor B 91.0; the committee recommends Vendor B. Ceiling price for negotiation: $2.35M.',
]

#: hard negatives (used while tuning)
TUNE_ALLOW = [
    '关于5起违反中央八项规定精神典型问题的通报\n1. 南湾区某局原局长孙某某违规接受宴请问题。孙某某受到党内警告处分。\n2. 某街道办事处副主任周某违规发放津贴补贴问题。周某受到政务记过处分，违规资金已收回。\n各级党组织要引以为戒。',
    '本报讯（记者 林晓）记者从市纪委监委获悉，市交通局原副局长余某因严重违纪违法被开除党籍和公职。经查，余某违规收受礼金，利用职务便利为他人谋取利益。其涉嫌犯罪问题已移送检察机关依法审查起诉。',
    '省委第四巡视组进驻南湾市开展常规巡视\n根据省委统一部署，省委第四巡视组于近日进驻南湾市。巡视期间设立专门值班电话和邮政信箱，主要受理反映南湾市领导班子及其成员问题的来信来电。巡视组将严格遵守保密规定。',
    '南湾区2025年公开选拔副科级领导干部公告\n一、选拔职位：区科技局副局长1名。二、报名条件：……三、选拔程序：报名、资格审查、笔试、面试、考察、公示。考察对象按职位1:3的比例确定，考察结束后按程序任职。',
    '干部工作业务培训讲义：如何规范开展民主推荐\n民主推荐分为会议推荐和个别谈话推荐。推荐票应当当场封存，得票情况作为重要参考，不简单以票取人。请学员结合案例思考：推荐得票较高但群众口碑一般的人选如何处理？',
    '信访工作人员保密须知\n1. 不得向被举报人泄露举报人姓名、工作单位、住址等信息；\n2. 实名举报材料应当单独登记、专人保管；\n3. 违反规定泄露举报人信息的，依纪依法追究责任。',
    '解放战争时期，华东野战军在孟良崮战役中集中兵力、围歼敌整编第七十四师。这一战例至今仍是军事院校研究运动战的经典案例，体现了集中优势兵力各个歼灭敌人的作战原则。',
    '驻南湾某部营区开放日活动举行\n本报讯 8月1日，驻南湾某部举行军营开放日活动，300余名市民走进营区，参观了官兵宿舍、荣誉室和部分退役装备。市民们纷纷表示，近距离感受了人民子弟兵的风采。',
    '2022年南湾区中考数学试卷及参考答案（已公布）\n一、选择题（每小题4分，共40分）\n1. -2的相反数是（\u3000）\n【参考答案】A',
    '南湾区人民医院CT设备采购项目公开招标公告\n项目预算：680万元，最高限价：675万元。投标截止时间：2025年6月3日9时。评标方法：综合评分法。本公告在中国政府采购网和南湾区公共资源交易网同步发布。',
    '南湾区2024年国民经济和社会发展统计公报\n初步核算，全年全区地区生产总值821.4亿元，比上年增长5.6%。一般公共预算收入62.3亿元，增长3.1%。',
    '南湾市发展和改革委员会关于《南湾市居民阶梯水价调整方案（征求意见稿）》公开征求意见的公告\n现将方案全文公布，欢迎社会各界于6月30日前提出意见建议。联系电话：0571-86001234。',
    '关于2025届毕业生论文答辩安排的通知\n各学院：本届毕业论文答辩定于5月20日至5月31日进行。答辩委员会由3至5名教师组成，评分结果由学院汇总后统一公布。',
    '纪律处分条例知识测试题\n1. 党纪处分的种类有（\u3000）种。A. 4  B. 5  C. 6\n2. 留置期限一般不得超过（\u3000）个月。A. 2  B. 3  C. 6\n3. 下列属于违反廉洁纪律的行为是（\u3000）',
    'Request for Proposals: The City of Northfield invites bids for road resurfacing. Estimated budget: $1.2 million. Bids close on 15 May at noon; the evaluation criteria and scoring weights are published in Appendix B. The award will be posted on the city website.',
    'Employee handbook, section 7: Promotions are decided by the promotion committee twice a year. Candidates are notified by email and the list of promotions is announced on the intranet. Employees who disagree may appeal within 10 working days.',
    'In chapter three of the thriller, the young analyst discovers that the draft earnings report has been leaked to a hedge fund days before the announcement, and she must decide whether to tell the regulator.',
    'Notice of data security incident: On 3 June we discovered unauthorised access to one of our systems. We have notified the regulator and affected customers, and we are offering free credit monitoring. This notice is published on our website.',
    '请以“新时代好干部标准”为题写一篇评论，要谈到选人用人的导向、考察识别干部的方法以及防止带病提拔的制度建设。',
    '帮我总结这则新闻：国防部新闻发言人表示，中俄“北部·联合-2025”演习将于9月在日本海举行，双方将派出舰艇、固定翼飞机和直升机参加，演习不针对第三方。',
    '关于2024年研究生招生考试违规考生处理结果的公告\n经调查核实，考生王某某在考试中携带电子设备，依据《国家教育考试违规处理办法》，认定其当次考试各科成绩无效。',
    '电视剧《巡视利剑》剧情介绍：巡视组进驻江城后，组长赵明收到大量举报信，他带领组员个别谈话、调阅账目，逐步揭开市长与开发商的利益链条。本剧共36集。',
    '本报讯 近日，南湾公安分局在“夏季行动”中组织警力200余人，对辖区3个涉赌窝点实施统一收网，抓获犯罪嫌疑人27名。目前，案件正在进一步侦办中。',
    '南湾区人民政府征收土地预公告\n因城市建设需要，拟征收南湾区东山村集体土地12.6公顷，用于学校建设。自本公告发布之日起，在拟征收范围内暂停办理户口迁入和房屋新建、改建审批。',
    '南湾市财政局文件\n南财预〔2025〕14号\n关于下达2025年第一批中央财政衔接推进乡村振兴补助资金的通知\n各区财政局：\n现将2025年第一批补助资金下达给你们，请按规定使用。\n附件：资金分配表\n南湾市财政局\n2025年3月1日\n（此件主动公开）',
]

#: first held-out set: evaluated before tuning on it (19/25 found, 0/25 false positives), then used for tuning
HELD1_BLOCK = [
    '关于西港市恒达贸易有限公司涉嫌虚开增值税专用发票案件的稽查报告（初稿）\n经检查，该公司2022年至2023年间通过虚构交易向下游企业开具专用发票412份，价税合计1.37亿元。建议对该公司处以偷税数额一倍罚款，并将案件移送公安机关。本报告经局审理委员会审理后再行送达。',
    '关于市第二人民医院心内科主任董立群有关问题初步核实情况的报告\n根据转来的问题线索，院纪委于4月组成核实组，调阅了2021年以来心脏支架采购记录，约谈相关人员9人。初步核实，董立群收受医药代表所送购物卡共计6.5万元的问题基本属实。建议提请院党委研究对其立案审查。',
    '询问笔录\n询问时间：2025年2月19日9时30分至11时05分\n询问地点：集团纪委第二谈话室\n问：你与鼎丰物流的孙总是什么关系？\n答：是我爱人的表哥。\n问：2023年的运输合同是谁定的？\n答：是我跟采购部打的招呼。\n被询问人（签名）：            询问人：赵、钱',
    '北川职业技术学院2025年中层干部竞聘上岗拟聘人选建议名单（院长办公会讨论稿）\n教务处处长：贺明川（民主测评优秀率86%）\n学生处副处长：龙晓筠、石磊（二选一，待组织考察后确定）\n说明：竞聘排名第一的张某因个人事项报告存在瞒报，建议暂缓聘任。名单确定前请勿外传。',
    'Please translate into English for the foreign expert office:\n经局党组研究，初步确定王建华同志为市统计局副局长考察人选，李思敏同志作为备选。考察工作拟于下周启动，在履行任前公示程序前，请严格控制知悉范围。',
    '区委第五巡察组关于巡察区卫生健康局党组的情况报告（送审稿）\n一、发现的主要问题：医疗设备采购存在化整为零规避招标问题，涉及金额760万元；局领导班子个别成员与供应商有不正常往来。\n二、问题线索：共发现问题线索6条，拟移交区纪委监委4条、区委组织部2条。',
    '信访件转办单\n来信人：谭永福\u3000联系电话：13807315526\u3000住址：平溪镇石桥村四组\n反映问题：村党支部书记在2024年土地流转中截留租金约12万元，并威胁来信人不得上访。\n转办意见：请镇纪委核查，注意保护来信人，不得将来信转给被反映人。',
    '帮我把这封信整理得通顺一点：\n我叫甘晓彤，是区市场监管局执法二科的科员，工号2017061。我要举报我们科长在食品抽检中收了三家超市的钱，故意不把不合格结果上报。我手里有微信转账截图。请领导替我保密，我怕被穿小鞋。我的手机是15974102288。',
    '某旅导弹发射营阵地配置情况\n一营主阵地位于黑石岭北坡（北纬27°41′，东经111°03′），预备阵地两处分别位于主阵地以西6公里和东南9公里。营属发射车6台，常态保持2台一级战备值班。阵地伪装网及假目标于每月第一周更换。',
    '关于“海鹰-25”编队出港训练的安排\n编队由驱逐舰2艘、综合补给舰1艘组成，拟于3月14日22时由军港出港，经东屿水道向东南机动，3月17日在预定海域实施实弹射击。出港时间及航线不得向无关人员透露。',
    'XH-3型无人机定型试验阶段小结\n第二阶段试飞在戈壁试验场完成架次34个，实测最大航程1850公里，续航时间26小时，高原起降试验因发动机喘振暂停。下一阶段试验拟增加电磁干扰环境下的链路测试。',
    '5月份全市CPI初步测算情况（未经审定，请勿引用）\n居民消费价格同比上涨0.4%，其中食品价格下降1.2%，猪肉价格环比上涨5.6%。正式数据以6月10日统计局发布为准，发布前不得对外提供。',
    '东湖片区雨污分流改造工程招标控制价编制说明\n经审核，本工程招标控制价为3,826.47万元，其中暂列金额200万元。标底由造价咨询单位另行密封报送，开标前任何人不得泄露。',
    '帮我把评标情况写成一段简报：\n评标委员会对5家投标人进行了综合评审，初步排名第一为宏基建设（92.5分），第二为中汇工程（88.0分）。评标报告尚未提交采购人确认，评标结果公示前请勿透露评审过程。',
    '关于调整中心城区出租汽车运价的方案（内部讨论稿）\n一、起步价由10元调整为13元，起步里程3公里不变；二、燃油附加费取消。\n本方案尚需提交市政府常务会议研究，价格听证会召开前不得对外发布。',
    '平江师范学院2024-2025学年第二学期《高等数学（下）》期末考试试卷（B卷）\n命题人：陈涛\u3000审核人：冯岚\u3000考试时间：120分钟\n一、选择题（每小题3分，共15分）\n1. 设z=x²y+e^y，则∂z/∂x=（\u3000）\n二、计算题（每小题10分，共50分）',
    'Can you make this sound more upbeat for the board deck? Preliminary Q3 numbers (not yet public): revenue $412M, down 7% year on year; operating margin 3.1%. Guidance will be cut to $1.6B at the earnings call on 24 October. Do not share before the call.',
    'Reduction-in-force list, Shanghai office (HR and legal only). The following employees will be notified on Friday 14 March: Lin Wei (Finance), Joanna Park (Marketing), Zhou Tao (IT support). Severance packages per the attached schedule. Managers must not discuss this before the notification meetings.',
    'Incident summary for the exec team: on 3 May an attacker used a compromised VPN account to exfiltrate about 2.1 GB from the HR payroll database. Root cause: MFA was disabled for the contractor group. We have not notified the regulator yet; legal advises holding disclosure until forensics finish.',
    'Here is the draft final exam for ECON 201 (to be administered on 12 June). Question 1 (20 points): Derive the demand curve for... Question 2 (30 points): ... Answer key attached. Please check the wording before I send it to the exam office.',
    '重点人员管控名单（第三季度）\n1. 贺德顺，男，58岁，曾多次赴省上访，现由街道落实“三包一”稳控；\n2. 鲁秀英，女，63岁，拆迁补偿诉求，敏感节点期间由社区专人盯守。\n请各街道每日零报告。',
    '“雷霆3号”抓捕行动方案\n定于6月9日凌晨3时对犯罪嫌疑人藏匿的城南出租屋实施抓捕，外围布控警力40人，突击组12人，技侦支队负责实时定位。行动前严禁向无关人员泄露行动时间。',
    '请把下面这段压缩成两句话：\n经审理，被审查人石正宏违反组织纪律，在干部选拔中为他人谋取职务提拔，收受财物折合人民币57万元。审理室认为其行为已构成严重违纪，建议给予开除党籍处分，并将其涉嫌犯罪问题移送检察机关。',
    '镇领导班子换届会议推荐得票情况（仅供县委组织部掌握）\n党委书记人选：周海涛 51票，严文 9票；镇长人选：伍建峰 47票，白露 13票。应到62人，实到60人。',
    '2025年本科批次录取控制分数线（拟定稿）\n物理类：本科批462分，特殊类型招生控制线530分；历史类：本科批471分。上述分数线经招委会审定后于6月25日统一公布，公布前严禁泄露。',
]

#: first held-out set, hard negatives
HELD1_ALLOW = [
    '西港市原副市长方志远严重违纪违法被开除党籍\n日前，经西港市委批准，西港市纪委监委对市政府原副市长方志远严重违纪违法问题进行了立案审查调查。经查，方志远丧失理想信念，违规收受礼品礼金，利用职务便利为他人谋取利益并非法收受巨额财物。依据有关规定，经市委常委会会议研究，决定给予方志远开除党籍处分；按规定取消其享受的待遇；将其涉嫌犯罪问题移送检察机关依法审查起诉。',
    '关于4起群众身边不正之风和腐败问题典型案例的通报\n1. 北川县某镇财政所原所长王某某挪用扶贫资金问题。2020年至2022年，王某某挪用扶贫专项资金23万元用于个人消费。2024年3月，王某某受到开除党籍处分。\n2. 某村党支部原书记刘某某虚报冒领低保金问题。刘某某受到党内严重警告处分，违纪资金已追缴。',
    '在全市警示教育大会上的讲话\n同志们：刚才我们观看了警示教育片，片中的几名干部，有的在工程项目上收受贿赂，有的在干部选拔中跑官要官，最终受到了党纪国法的严惩。大家要以案为鉴、以案促改，切实把纪律和规矩挺在前面。',
    '市管干部任前公示\n根据《党政领导干部选拔任用工作条例》，经市委研究，拟任命下列同志为市管领导干部，现予以公示：邓立新，男，1979年生，现任市水务局副局长，拟任市水务局局长。公示期为2025年3月3日至3月7日。公示期间，如有情况反映，请通过来信、来电或12380举报网站向市委组织部反映。',
    '省委第二巡视组向北川县委反馈巡视情况\n近日，省委第二巡视组向北川县委反馈巡视情况。反馈会议上，巡视组指出，北川县委在落实全面从严治党主体责任方面还存在差距，部分领域监管不到位。巡视组还收到反映一些领导干部的问题线索，已按有关规定转交有关方面处理。巡视组要求，县委要认真抓好整改落实。',
    '关于公布市纪委监委信访举报受理方式的公告\n为进一步畅通群众监督渠道，现将信访举报受理方式公告如下：来信请寄西港市纪委监委信访室；举报电话：12388；网上举报：登录市纪委监委网站。我们提倡实名举报，对举报人信息严格保密，对打击报复举报人的依纪依法严肃处理。',
    '据新华社报道，近日，东部战区陆军某旅在东南沿海组织实兵实弹演习，检验部队跨昼夜机动和精确打击能力。演习中，远程火箭炮分队对海上目标实施打击，首发命中。记者在现场看到，参演官兵全程在复杂电磁环境下作战。',
    '小说《山河》第十二章\n炮兵阵地上硝烟弥漫。连长老马趴在掩体后面，用望远镜盯着对面的山梁。“三号炮，装填！”他吼道。传令兵从交通壕里爬过来，递上一张纸条：团部命令，天亮前必须撤出阵地。',
    '西港市第一中学智慧教室建设项目中标结果公告\n项目编号：XGCG-2025-031\n中标供应商：西港云联科技有限公司，中标金额：286.5万元。评标委员会成员：吴某、郑某、冯某、陈某、褚某。公告期限为1个工作日，各投标人对中标结果有异议的，可在公告期限届满之日起7个工作日内提出质疑。',
    '北川县人民医院门诊楼改造工程招标公告\n一、招标条件：本项目已批准建设，资金来源为财政资金。二、项目概况：建筑面积8600平方米，招标控制价为1,245万元。三、投标人资格要求：具有建筑工程施工总承包二级及以上资质。四、招标文件获取时间：2025年4月1日至4月8日。',
    '国家统计局今天发布数据，一季度国内生产总值同比增长5.3%，比上年四季度环比增长1.6%。国家统计局新闻发言人在国新办新闻发布会上表示，国民经济开局良好，但外部环境仍然复杂严峻。',
    '一图读懂《西港市关于调整住房公积金贷款政策的通知》\n政策解读：一是首套房贷款最高额度提高至80万元；二是二套房首付比例下调至20%。政策自2024年9月1日起施行，市民可通过“西港公积金”公众号办理。',
    '关于公开征求《西港市养犬管理条例（征求意见稿）》意见的公告\n为提高立法质量，现将《条例（征求意见稿）》全文公布，向社会公开征求意见。公众可于2025年5月30日前通过电子邮件或信函提出意见建议。',
    '2023年全国高考数学（新课标I卷）真题及答案解析\n一、选择题：本题共8小题，每小题5分，共40分。\n1. 已知集合M={-2,-1,0,1,2}，N={x|x²-x-6≥0}，则M∩N=（\u3000）\n【答案】C\n【解析】……',
    '关于做好2025年期末考试工作的通知\n各学院：为确保考试公平公正，请各学院严格执行试卷印制、保管、运送等环节的保密规定，试卷印制后须存放在保密室，监考教师须提前30分钟领取试卷。考试期间严禁携带手机进入考场。',
    '《党政领导干部选拔任用工作条例》学习问答\n问：什么是民主推荐？\n答：民主推荐包括会议推荐和谈话调研推荐，推荐结果作为选拔任用的重要参考，在一年内有效。\n问：考察对象如何确定？\n答：根据工作需要和干部条件，按照比选择优的原则研究确定考察对象。',
    '纪检监察基础知识100问（第37问）\n留置措施的适用条件有哪些？\n根据监察法规定，被调查人涉嫌严重职务违法或者职务犯罪，监察机关已经掌握其部分违法犯罪事实及证据，仍有重要问题需要进一步调查，并有涉及案情重大复杂等情形之一的，经监察机关依法审批，可以将其留置在特定场所。',
    '帮我写一篇关于加强年轻干部教育管理监督的心得体会，800字左右，要结合干部选拔任用、民主推荐、考察和廉政教育几个方面来谈，语言朴实一些。',
    'Shares of Northwind Corp rose 6% after the company reported third-quarter revenue of $2.1 billion, beating analyst estimates, and raised its full-year guidance, according to a statement published on Tuesday.',
    'Security awareness module 4: What should you do if you suspect a data breach? Report it to the IT service desk immediately, do not try to investigate it yourself, and never share incident details on social media. Quiz: which of the following is a sign of phishing?',
    'The software maker said on Wednesday it would cut about 5% of its workforce, roughly 1,200 jobs, as part of a restructuring. In a memo to staff that was later published on the company blog, the CEO said affected employees would receive severance and extended health coverage.',
    '长篇小说《暗流》内容简介：市纪委专案组接到一封匿名举报信，矛头直指即将提拔的副市长。留置、谈话、查账……主人公林默在重重阻力中抽丝剥茧，最终揭开了一个利益集团的真面目。本书共三十章，已由某出版社出版。',
    '西港市人民政府办公室文件\n西政办发〔2025〕9号\n关于印发西港市2025年全民健身活动方案的通知\n各区人民政府，市政府各部门：\n现将《西港市2025年全民健身活动方案》印发给你们，请认真贯彻执行。\n附件：西港市2025年全民健身活动方案\n西港市人民政府办公室\n2025年2月10日\n（此件公开发布）\n抄送：市委办公室，市人大常委会办公室。\n西港市人民政府办公室\u3000\u30002025年2月11日印发',
    '北川县教育局关于举办2025年中小学生运动会的通知\n北教体〔2025〕6号\n各中小学：\n经研究，定于5月15日至17日在县体育中心举办全县中小学生运动会，请各校于4月30日前报名。\n附件：1. 竞赛规程\u30002. 报名表\n北川县教育局\n2025年4月2日\n北川县教育局办公室\u3000\u30002025年4月2日印发',
    '西港市中级人民法院刑事判决书（2024）西刑初字第58号\n公诉机关西港市人民检察院。被告人罗某，原西港市交通局副局长。经审理查明：2016年至2022年，被告人罗某利用担任交通局副局长的职务便利，为他人在工程承揽等方面谋取利益，非法收受他人财物共计折合人民币386万元。本院认为，被告人罗某的行为已构成受贿罪，判处有期徒刑六年。',
]

#: second held-out set: evaluated before tuning on it (5/25 found, 0/25 false positives), then used for tuning
HELD2_BLOCK = [
    '关于“6·18”走私冻品案的案件调查终结报告\n经调查，当事人通过伪报品名方式走私冻牛肉312吨，偷逃税款约1460万元。建议移送海关缉私局立案侦查，对涉案货主罗永健依法采取强制措施。本报告经关长办公会审议后执行。',
    '内审发现问题及责任认定建议（征求被审计部门意见稿）\n城西支行行长孔德明在2023年向其亲属控制企业违规发放贷款3笔共计2800万元，目前已逾期。审计组建议对孔德明给予撤职处分并移交纪委进一步核查，本建议尚未经审计委员会审定。',
    '帮我把这段改写成给院长的邮件：\n关于新一届科室主任人选，院党委初步意见：心内科由副主任医师林青源接任，骨科主任暂缓调整，原因是群众测评满意率仅62%。以上人选尚未经院党委会研究，请不要向科室透露。',
    '巡察反馈问题整改台账（初稿）\n问题3：局领导班子成员违规兼职取酬，涉及副局长严志刚、总工程师贺一鸣；整改措施：清退兼职报酬；责任人：局党组书记。问题线索2条已转纪检组处置，结果暂不对外。',
    '| 登记号 | 举报人 | 联系方式 | 被举报对象 | 主要内容 |\n|---|---|---|---|---|\n| 2025-031 | 孟春燕 | 13712094476 | 街道城管中队长 | 收取摊贩“保护费” |\n请帮我把这个表格改成一段文字说明。',
    '关于核查王家坝村反映问题的情况说明\n经与反映人杜海波（村民，电话18951230087）面谈，其反映的村会计虚报土地补偿款问题基本属实。考虑到反映人与被反映人系邻居，为防止打击报复，建议核查过程中不暴露反映人身份。',
    '预备役高炮营动员编组名单（第二连）\n连长：欧阳锋，驻地：石门镇武装部；战备物资库位于镇政府后院地下一层，存放高射机枪6挺、弹药基数2个。紧急集结时间要求4小时内到位。',
    '请把下面内容翻译成英文：某型舰载相控阵雷达第5套产品定于11月3日夜间由厂区铁路专线发运至南方某军港，押运人员12人，沿途车站不停靠，发运计划和路线不得向无关人员透露。',
    '关于对犯罪嫌疑人周坤实施抓捕的工作预案\n经技侦定位，周坤目前藏身于城东锦华小区7栋，拟于本周五清晨6时由刑侦大队会同特警实施抓捕，外围设卡3处。行动前参战人员手机统一上交。',
    '{"task": "summarise", "content": "两会期间重点稳控对象：1. 卢建国（退役军人安置诉求，曾赴京上访3次），责任单位新桥街道；2. 黄小梅（征地补偿诉求），责任单位东坝镇。要求落实专人盯守，每日报告动态。"}',
    '2025年全市事业单位公开招聘笔试《综合基础知识》参考答案及评分标准（考试结束前严禁泄露）\n一、单项选择题：1.C 2.A 3.D 4.B 5.B\n二、判断题：6.√ 7.× 8.×\n三、写作题评分标准：立意准确得10分……',
    '请帮我润色：根据人口抽样调查初步汇总结果，全市常住人口较上年减少2.3万人，出生人口降至1.1万人，为有统计以来最低。该数据目前处于审核阶段，正式公报发布前请勿对外使用。',
    '城北片区土地出让起始价测算表（报市政府审定前）\n地块A：楼面地价每平方米8,650元，总价9.7亿元；地块B：楼面地价每平方米7,200元。测算结果在挂牌公告前严格保密。',
    '帮我核对一下分数有没有算错：评审小组对三家投标单位打分——华信建设：技术分46、商务分28、价格分19；广联工程：技术分41、商务分30、价格分20。评标结果尚未公示，请勿外传。',
    '关于调整我校本科生学费标准的方案（校长办公会讨论稿）\n拟自2026级起将文科类学费由每年4,800元调整为5,900元，理工类由5,500元调整为6,800元。本方案需报省发改委、教育厅审批，批复前不得对外发布。',
    '谈话函询情况报告\n函询对象：市住建局副局长钟立伟\n本人说明：否认收受开发商礼金，但承认其子在该公司任职。经核实，其说明与事实基本相符，拟予以了结，并对其进行提醒谈话。',
    'Translate to English please: 2025年优秀年轻干部储备人选名单（仅供组织部掌握）：市发改委综合科科长韩若冰（1990年生）、市财政局国库科科长詹星（1991年生）。名单不对外公开。',
    'Please tighten this paragraph: Interim analysis of the phase III trial (not yet disclosed to investors) shows the primary endpoint was missed; the data monitoring committee recommends stopping enrolment. The board will decide on Monday whether to announce. Until then, keep this within the core team.',
    'Draft findings of the internal investigation into the regional sales director, Mark Olsen: he approved kickbacks worth $180,000 to two distributors in 2024. Recommendation: termination for cause and referral to the police. This has not been shared with the employee yet.',
    'Incident 2025-014 status for the CISO: the attacker still has persistence on two domain controllers; we plan to rotate the krbtgt password tonight at 23:00. Do not mention the compromise on Slack or email until containment is complete.',
    'Help me rewrite this announcement draft: Effective 1 July, the Shenzhen plant will close and 430 positions will be eliminated. Employees have not been told; the works council meets on 20 June. Keep this strictly need-to-know.',
    'Can you check the grammar in my exam paper? Midterm exam, Business English II, to be held next Tuesday. Part A (30 marks): Read the passage and answer the questions. Part B (20 marks): Write a complaint letter.',
    '党组会议纪要（摘要）\n会议研究决定：一、同意对局办公室主任黄振东免职，另行安排工作；二、拟推荐综合科科长易晓为办公室主任人选，按程序报市委组织部。会议内容在正式发文前不得外传。',
    '帮我把下面这封举报信改得正式一点：\n我叫蔡文军，身份证号510104198811023317，是第三人民医院药剂科药师。我举报科主任要求我们在采购中指定某医药公司的产品并收取回扣。希望领导对我的身份保密。',
    '关于给予陈立新同志政务记大过处分的决定（代拟稿）\n经查，陈立新同志在担任区城管局副局长期间，违规收受管理服务对象礼金2.6万元。经区监委委务会研究，决定给予陈立新政务记大过处分。（本决定待送达本人后生效）',
]

#: second held-out set, hard negatives
HELD2_ALLOW = [
    '2025年市属事业单位公开招聘拟聘用人员公示\n经笔试、面试、体检和考察，拟聘用以下人员：市疾控中心 检验岗 张敏（女，1998年生）；市档案馆 管理岗 刘洋（男，1996年生）。公示期：2025年7月1日至7月7日，如有异议请于公示期内向市人社局反映。',
    '中共某市委关于巡视整改进展情况的通报\n根据省委统一部署，省委第三巡视组对我市进行了常规巡视，并于2024年5月反馈了巡视意见。按照党务公开原则和巡视工作有关要求，现将巡视整改进展情况予以公布。截至目前，反馈的28个问题已整改完成25个。',
    '市审计局关于2024年度市级预算执行和其他财政收支的审计工作报告（摘要）\n审计发现，部分单位存在预算编制不够精准、专项资金闲置等问题，涉及金额3.2亿元。对审计发现的问题，审计局已依法出具审计报告，有关单位正在整改。',
    '市中级人民法院公开宣判一起受贿案\n本报讯 6月12日，市中级人民法院公开宣判市林业局原局长邱某受贿案，以受贿罪判处邱某有期徒刑五年，并处罚金人民币五十万元。法院经审理查明，2014年至2023年，邱某利用职务便利为他人谋取利益。',
    '新华社北京9月3日电 纪念大会上，受阅部队以整齐的队列通过天安门广场。此次阅兵共有50个方（梯）队参加，展示了大量新型装备，其中多型导弹首次公开亮相。',
    '长篇历史小说《烽火山城》第七章：营长把地图摊在弹药箱上，用红铅笔圈出敌军的炮兵阵地。“今晚十点，一连从左翼迂回，二连正面佯攻。”政委点点头，转身去安排伤员转移。',
    '请帮我写一篇关于“畅通信访渠道、保护举报人合法权益”的理论文章提纲，重点谈谈实名举报的意义和举报人保护制度的完善。',
    '问：什么是标底？招标时必须设置标底吗？\n答：标底是招标人对招标项目所计算的预期价格。根据招标投标法实施条例，招标人可以自行决定是否编制标底，一个招标项目只能有一个标底，标底必须保密。',
    '市政府采购中心关于办公家具采购项目成交结果的公告\n成交供应商：恒美家具有限公司，成交金额：48.6万元。评审专家名单：李某、王某、陈某。本公告期限为1个工作日。',
    '关于《市城市绿化条例（修订草案征求意见稿）》公开征求意见的通知\n为推进科学立法、民主立法，现将修订草案全文公布，公众可在2025年6月30日前通过市人大常委会网站提出意见。草案拟将新建住宅区绿地率由30%提高至35%。',
    '关于2025年春季学期期末考试安排的通知\n各年级：期末考试定于7月1日至3日举行，考试科目及时间见附表。请各班主任提醒学生按时参加考试，考试期间严禁携带手机进入考场，违者按作弊处理。',
    'Reuters - Globex Corp said on Thursday its second-quarter revenue fell 4% to $3.2 billion, in line with analyst expectations, and it kept its full-year guidance unchanged. Shares were flat in early trading.',
    'The city council voted on Monday to approve a reduction in force of 40 positions in the parks department. The mayor said affected employees will be offered placement in other departments, according to a statement.',
    'Past paper: 2019 IGCSE Economics, Paper 2 (published with the mark scheme). Question 1 (10 marks): Explain two functions of money. Candidates should refer to the examiner report for common errors.',
    'Incident response training, lesson 3: when an attacker has compromised a domain controller, the usual steps are to isolate the host, reset the krbtgt password twice, and review privileged accounts. In this lesson we walk through a fictional case study.',
    '关于王立平等同志职务任免的通知\n市政府决定：任命王立平为市交通运输局局长；免去赵国强的市交通运输局局长职务，另有任用。（此件公开发布）',
    '一文读懂干部选拔任用程序：动议、民主推荐、考察、讨论决定、任职。民主推荐包括会议推荐和谈话调研推荐，考察对象一般应当多于拟任职务人数。讨论决定前，应当征求纪检监察机关意见，做到“凡提四必”。',
    '市纪委监委公开通报3起违反中央八项规定精神问题\n近日，市纪委监委对3起违反中央八项规定精神问题进行公开通报。1. 市水务局原副局长胡建成违规收受礼金问题。胡建成受到党内严重警告处分。2. 某区城管局科员违规公款吃喝问题，受到政务警告处分。',
    '市统计局发布：2024年全市居民人均可支配收入52,360元，比上年增长5.1%。其中城镇居民人均可支配收入61,200元，农村居民人均可支配收入32,800元。数据来源：市统计局官网。',
    '帮我写一段小红书文案：我家祖传的卤牛肉配方今天公开啦！秘诀就是八角、桂皮加一点陈皮，小火卤两个小时，关火后再泡一夜，第二天切片超级入味。',
    '公司员工手册第五章：员工晋升每年进行两次，由晋升评审委员会根据绩效考核结果提出建议人选，经公示无异议后发文任命。对评审结果有异议的，可在公示期内向人力资源部申诉。',
    '反诈民警提醒：近期冒充公检法诈骗案件高发，诈骗分子常以“涉嫌洗钱需配合调查”为由，要求受害人将资金转入“安全账户”。公安机关不会通过电话办案，更没有所谓的安全账户。',
    '全民国防教育日活动方案\n一、活动时间：9月20日。二、活动内容：组织学生参观军事博物馆，观看国防教育影片，邀请退役军人讲述战斗故事。三、工作要求：各学校要高度重视，确保活动安全有序。',
    '《中国共产党纪律处分条例》规定，党纪处分分为警告、严重警告、撤销党内职务、留党察看、开除党籍五种。对于主动交代问题的，可以从轻或者减轻处分。本文结合条例条文进行解读。',
    '城南污水处理厂提标改造工程施工招标公告\n招标控制价：4,680万元。投标人须具备市政公用工程施工总承包一级资质。招标文件于2025年5月6日至5月12日在市公共资源交易中心网站下载。',
]

#: third held-out set: measured once before tuning on it (6/20 found, 1/20 false positives), then used for tuning
HELD3_BLOCK = [
    '集团党委会研究事项（会前材料）\n议题二：关于下属华峰化工公司整体划转的初步方案。拟将华峰化工100%股权无偿划转至省国资运营公司，职工安置方案另行研究。本议题涉及上市公司重大事项，信息披露前严禁对外透露。',
    '关于对材料学院副教授谢文涛涉嫌学术不端问题的调查报告（校学术委员会审议稿）\n经调查组核实，谢文涛2022年发表的两篇论文存在图片重复使用和数据篡改问题。调查组建议撤销其2023年度科研奖励，并暂停其研究生招生资格三年。',
    '帮我把这段整理成汇报提纲：骨科病区5月12日发生一例术后死亡，初步调查显示主刀医生梁志强术前未按规定完成会诊，医务处认定为二级医疗事故。家属目前尚不知情，院方拟于下周与家属沟通，请各科室严格控制消息范围。',
    '西河断面6月水质监测数据（未经审核，不得对外发布）\n氨氮浓度3.8mg/L，超标2.8倍；总磷0.62mg/L，超标2.1倍。超标原因初步判断为上游化工园区偷排，执法检查计划下周突击进行，请勿提前通知企业。',
    '请把下面内容写成新闻通稿的样子：截至今晚8时，山体滑坡已造成11人遇难、7人失联。市委要求在省里统一发布前，伤亡数字一律不得对外提供，各单位对外口径以指挥部发布为准。',
    '外方代表团来访接待方案（初稿）\n代表团由副部长级官员率领，共9人，拟于10月14日乘坐专机抵达，入住迎宾馆2号楼。会谈底线：不接受对方提出的关税对等下调方案。行程安排在正式宣布前不得外泄。',
    '全省电力监控系统网络安全检查发现的问题汇总\n1. 3座220千伏变电站监控主机存在弱口令；2. 调度数据网与管理信息网存在违规互联点2处，攻击者可经此横向移动至控制区。上述问题整改完成前，严禁在任何公开场合提及。',
    '请帮我核对一下这个时刻表：专列定于9月28日7时15分由南站3道发车，沿途不停站，12时40分抵达滨海站，沿线各站由铁路公安提前清站，车次和时刻严格保密。',
    '合议庭评议笔录\n案号：（2025）东民初字第318号\n评议意见：审判长李卫东认为应支持原告主张；审判员赵敏认为证据不足。评议结果：2比1，支持原告部分诉讼请求。本笔录不对外公开，宣判前不得向当事人透露。',
    '留置审批表\n被调查人：俞建华，区发改局原局长\n拟留置期限：三个月\n留置地点：区纪委监委留置中心\n承办部门意见：被调查人有串供可能，建议立即采取留置措施。\n分管领导意见：同意。',
    '职称评审委员会评审结果（未公示）\n正高级职称：通过4人（魏思远、段文静、欧阳明、柏青），未通过3人；委员对韩东的申报材料真实性提出质疑，建议由人事处核实后再议。',
    '王处：转来一封实名举报信，举报人是县一中教师吕婉清（电话13627418856），举报校长违规收取择校费。请注意不要让学校知道举报人是谁，核查时以常规检查名义进行。',
    '民兵应急连战备方案\n应急连编制120人，下设抢险排3个、防化班1个，装备冲锋舟8艘、发电机12台，储存于县人武部第二仓库。接到命令后2小时内完成集结，集结地点：县体育馆后场。',
    '帮我润色一下这几道面试题，明天面试要用：\n1. 作为新任网格员，你如何在一周内摸清辖区独居老人情况？\n2. 群众在窗口因排队与工作人员发生争执，你怎么处理？\n（本题本面试结束后收回）',
    '关于调整居民生活用气价格的请示（送审稿）\n拟将第一档气价由每立方米2.86元调整至3.15元，自2026年1月1日起执行。在价格听证前，请各成员单位不要对外透露调整幅度。',
    'Pen-test report (draft, client eyes only): we obtained domain admin on the HQ network within four hours via an unpatched VPN appliance; 23 servers still accept the default service account password. The client has not yet remediated these findings.',
    'Could you turn this into a chart? 2026 salary review, not yet communicated to staff: engineering band increases 4.5%, sales 2%, support frozen. Bonus pool reduced by 30%. Managers will be briefed on 12 March.',
    'Rewrite for the launch deck: Model X9 specs (under embargo until 5 September): 6.9-inch display, 5,200 mAh battery, starting price $899. Supplier quantities for Q3: 1.2 million units.',
    "Summarise the panel's discussion: Proposal 17 (Dr. Helen Cho) ranked first with 9.1, proposal 4 (Dr. Ravi Patel) second with 8.7; funding decisions will be confirmed by the board next month and applicants must not be informed before then.",
    'Minutes of the closed board session, 3 June: the board agreed that the CEO will step down at year end; the search firm has shortlisted three external candidates. This decision is not to be disclosed until the announcement planned for 15 July.',
]

#: third held-out set, hard negatives
HELD3_ALLOW = [
    '关于对谢某某学术不端行为的处理通报\n经学校学术委员会调查认定，我校某学院副教授谢某某在2022年发表论文中存在图片重复使用问题。学校决定撤销其相关科研奖励，取消其三年内研究生招生资格。现予以通报。',
    '本报讯 记者从市卫健委获悉，市第三医院近日发生的一起医疗纠纷已由市医学会组织鉴定，鉴定结论为三级医疗事故。院方已向患者家属致歉并依法赔偿，相关责任人受到处理。',
    '市生态环境局发布2024年度环境质量公报：全市地表水国控断面优良比例为86.7%，同比上升3.3个百分点；西河断面氨氮浓度年均值0.82mg/L，达到III类标准。',
    '市防汛抗旱指挥部发布：受强降雨影响，全市紧急转移群众1.2万人，目前无人员伤亡报告。请广大市民关注预警信息，非必要不前往山区、河道等危险区域。',
    '外交部发言人宣布：应国务院总理邀请，某国总理将于10月14日至16日对我国进行正式访问。双方将就双边关系和共同关心的问题交换意见。',
    '电力监控系统安全防护培训讲义：什么是横向隔离？横向隔离是指在生产控制大区与管理信息大区之间部署专用隔离装置，严禁违规互联。常见问题包括弱口令、违规外联等，各单位应当定期开展自查。',
    '铁路部门公告：自10月11日起实行新列车运行图，南站至滨海站新增G1234次列车，7时15分发车，12时40分到达。旅客可通过12306网站购票。',
    '（2025）东民初字第318号民事判决书摘要：原告诉称被告拖欠货款，本院经审理认为，原告提供的证据能够证明双方买卖关系，判决被告于本判决生效之日起十日内支付货款12万元。',
    '监察法小课堂：留置期限最长是多久？答：留置时间不得超过三个月；在特殊情况下，可以延长一次，延长时间不得超过三个月。省级以下监察机关采取留置措施的，延长留置时间应当报上一级监察机关批准。',
    '关于2024年度高级职称评审通过人员名单的公示\n经评审委员会评审，魏思远等4人通过正高级职称评审，现予以公示。公示期为7个工作日，如有异议，请向人事处反映。',
    '作文素材：举报人保护制度。实名举报需要勇气，如果举报人的信息被泄露，就可能遭到打击报复。因此，各国都建立了举报人保护制度，我国监察法也明确规定要保护举报人合法权益。',
    '本报讯 县人武部日前组织民兵应急连开展防汛抢险演练，120名民兵参加。演练设置了抢险堵口、人员转移等科目，检验了应急队伍快速集结能力。',
    '2023年公务员面试真题回顾：作为新任网格员，你如何在一周内摸清辖区独居老人情况？【参考答题思路】可以从走访、联动社区、建立台账三个方面作答。',
    '关于召开居民生活用气价格调整听证会的公告\n市发改委定于2025年12月10日召开听证会，听证方案：拟将第一档气价由每立方米2.86元调整至3.15元。欢迎市民报名参加旁听。',
    'In this blog post we share lessons from a fictional pen-test scenario: how an unpatched VPN appliance can lead to domain admin, and how defenders can detect lateral movement early. The case study is for training.',
    'According to the annual salary survey published today by the industry association, engineering salaries rose 4.5% on average in 2025, while sales salaries increased 2%.',
    'The company unveiled the Model X9 at its launch event on Tuesday, with a 6.9-inch display and a starting price of $899, according to the press release. Pre-orders open on Friday.',
    'The foundation announced the results of its 2025 grant round: 12 proposals were funded, including projects led by Dr. Helen Cho and Dr. Ravi Patel. The full list is posted on the foundation website.',
    'Press release: Northwind Corp announced today that its CEO will step down at the end of the year. The board has begun a search for a successor, the company said in a statement.',
    '关于召开2025年度安全生产工作会议的通知\n东安办〔2025〕3号\n各乡镇、各部门：\n经研究，定于3月5日上午9时在县政府二楼会议室召开全县安全生产工作会议。请各单位主要负责同志参加。\n（联系人：周某，电话：0571-85001234）\n东安县安全生产委员会办公室\n2025年3月1日',
]

#: fourth held-out set: never used for tuning; only measured (see test_held_out_numbers)
HELD4_BLOCK = [
    '帮我把这份情况报告压缩一下：区疾控中心监测发现，辖区一所小学本周出现诺如病毒聚集性疫情，累计发病47人。按区卫健委要求，疫情信息由区里统一对外发布，学校和医院不得自行对外回应，请各单位做好舆情管控。',
    '关于市属国有企业负责人2024年度薪酬的初步核定意见（国资委主任办公会讨论稿）\n市交投集团董事长基本年薪42万元，绩效年薪核定为38万元；市水务集团因安全生产事故扣减绩效年薪20%。核定结果未经市政府批准前暂不反馈企业。',
    '第十五届全运会开幕式安保方案（节选）\n主会场周边设置三道警戒线，外围动用武警两个中队、公安特警120人；无人机反制车3台分别部署在北门、东门和媒体中心。方案内容仅限安保指挥部成员掌握。',
    '请翻译成英文：经校长办公会研究，拟暂停化学学院院长宁远航的院长职务，由副院长柴晓楠主持工作。该决定将于调查结束后正式公布，此前请各位与会人员严守会议纪律。',
    '县财政局关于2025年度预算调减方案的说明（未提交人代会前）\n受土地出让收入大幅下降影响，拟调减一般公共预算支出3.6亿元，其中暂缓发放教师绩效奖励1.1亿元。调减方案目前仅在县政府常务会范围内讨论。',
    "This is the unreleased Q4 guidance we will give on the analyst call next week: revenue between $1.10B and $1.15B, gross margin 38%. Please proofread the wording but don't forward it to anyone outside finance.",
    'Draft email to the regulator (not sent yet): we identified that customer records for 12,400 users were exposed through a misconfigured storage bucket between 2 and 9 May. Legal wants to hold notification until the forensic report is complete.',
    'Please turn these notes into a memo: the promotion panel met on Friday; Sarah Kim and Tom Alvarez are approved for senior manager, Priya Nair is deferred to next cycle. HR will inform candidates on 1 April, so keep this confidential until then.',
    '市场监管局关于某品牌婴幼儿奶粉抽检不合格的处置方案\n抽检发现该批次奶粉蛋白质含量低于标准值18%，拟责令企业召回，并处货值金额十倍罚款。在企业完成召回准备前，抽检结果暂缓向社会公布。',
    '关于对信访人员何秀兰进京上访的劝返工作安排\n何秀兰已于今日上午抵达北京南站，由镇党委副书记带队3人赴京劝返，车辆和住宿已安排。劝返过程中注意工作方法，相关情况每两小时报告一次。',
    '某研究所2025年度科研项目经费分配方案（所务会审议稿）\n重点实验室获批经费2,300万元，其中某型发动机预研项目分配900万元。方案在上级主管部门批复前不得对外提供。',
    '把下面这段改得更有条理：这次竞聘中层干部，我们初步排出了三个人的名次，王倩第一、冯磊第二、袁梦第三。但冯磊有一个没结案的信访件，党委建议先放一放，等核实清楚再说。名单先别往外传。',
]

#: fourth held-out set, hard negatives
HELD4_ALLOW = [
    '区卫健委发布：近期诺如病毒进入高发季节，请学校和托幼机构加强晨午检，发现呕吐腹泻症状要及时就医。市民可关注“健康某区”公众号获取防控知识。',
    '国资委公布2024年度市属国有企业负责人薪酬信息：市交投集团董事长年度薪酬80万元，市水务集团董事长年度薪酬65万元。以上信息在市国资委网站公开。',
    '第十五届全运会开幕式将于今晚8点举行，观众需提前两小时入场，主会场周边实行交通管制，请市民选择公共交通出行。',
    '学校官网通知：经校长办公会研究，任命柴晓楠为化学学院副院长（主持工作），任期自2025年4月1日起。',
    '县人民政府关于2024年预算执行情况和2025年预算草案的报告（在县人代会上）：受土地出让收入下降影响，2025年一般公共预算支出安排较上年减少3.6亿元，各部门要过紧日子。',
    "Northwind issued its Q4 guidance on today's analyst call: revenue between $1.10B and $1.15B. The full transcript is available on the investor relations website.",
    'Notice of data incident: between 2 and 9 May, a misconfigured storage bucket exposed records of 12,400 users. We have notified the regulator and all affected customers, and published this notice on our website.',
    "Congratulations to Sarah Kim and Tom Alvarez on their promotion to senior manager, announced in today's all-hands meeting!",
    '市场监管局通报：某品牌婴幼儿奶粉抽检不合格，企业已启动召回。消费者可凭购物凭证到购买地退货。',
    '小说《归途》片段：何秀兰拎着包袱走出北京南站，冷风吹在脸上。她想起镇上的干部说过，有事要在当地解决。',
    '科研项目申报指南：2025年度重点实验室开放课题申报工作开始，每项资助经费不超过20万元，申报截止日期为5月31日。',
    '竞聘演讲稿怎么写？开头要简洁有力，主体部分讲清楚岗位认识、个人优势和工作思路，结尾表态要真诚。下面是一篇范文。',
]


OWN_BLOCK = TUNE_BLOCK + HELD1_BLOCK + HELD2_BLOCK
#: regression guards for the held-out set (measured once: 9/12 found, 0/12 false positives)
HELD4_RECALL_FLOOR = 0.66
HELD4_FP_CEILING = 0.09
#: HELD3 after it was used for tuning: 19/20 found, 0/20 false positives
HELD3_RECALL_FLOOR = 0.9
OWN_ALLOW = TUNE_ALLOW + HELD1_ALLOW + HELD2_ALLOW


def build_engine() -> DetectionEngine:
    """All recognizers (markings and whatever else is registered) plus the structure recognizer and scorers."""
    return DetectionEngine(recognizers=default_recognizers() + [CnOfficialStructureRecognizer()],
                           scorers=[NonpublicContentScorer(), OfficialDocumentScorer()])


@pytest.fixture(scope="module")
def engine() -> DetectionEngine:
    return build_engine()


@pytest.fixture(scope="module")
def policy():
    return load_policy(POLICY)


@pytest.fixture(scope="module")
def scorer() -> NonpublicContentScorer:
    return NonpublicContentScorer()


def action(engine: DetectionEngine, policy, text: str) -> str:
    return evaluate(engine.analyze(text), policy).action


def _ids(texts: list[str]) -> list[str]:
    return [t[:24].replace("\n", " ") for t in texts]


@pytest.mark.parametrize("text", OWN_BLOCK, ids=_ids(OWN_BLOCK))
def test_own_nonpublic_is_blocked(engine: DetectionEngine, policy, text: str) -> None:
    assert action(engine, policy, text) == "block"


@pytest.mark.parametrize("text", OWN_ALLOW, ids=_ids(OWN_ALLOW))
def test_own_hard_negative_is_not_blocked(engine: DetectionEngine, policy, text: str) -> None:
    assert action(engine, policy, text) != "block"


def _measure(engine: DetectionEngine, policy, name: str, block: list[str], allow: list[str], capsys
             ) -> tuple[float, float]:
    found = [t for t in block if action(engine, policy, t) == "block"]
    false = [t for t in allow if action(engine, policy, t) == "block"]
    recall, fpr = len(found) / len(block), len(false) / len(allow)
    with capsys.disabled():
        print(f"\n  {name}: block recall {len(found)}/{len(block)} = {recall:.2f}, "
              f"false positives {len(false)}/{len(allow)} = {fpr:.2f}")
        for t in block:
            if t not in found:
                print("    missed:", t[:40].replace("\n", " "))
        for t in false:
            print("    false positive:", t[:40].replace("\n", " "))
    return recall, fpr


def test_held_out_numbers(engine: DetectionEngine, policy, capsys) -> None:
    """HELD4 was never used for tuning: print its numbers; the floors only guard against regressions."""
    recall, fpr = _measure(engine, policy, "held-out set 4 (never tuned on)", HELD4_BLOCK, HELD4_ALLOW, capsys)
    assert recall >= HELD4_RECALL_FLOOR and fpr <= HELD4_FP_CEILING


def test_set_3_numbers(engine: DetectionEngine, policy, capsys) -> None:
    recall, fpr = _measure(engine, policy, "set 3 (tuned on after one measurement)", HELD3_BLOCK, HELD3_ALLOW, capsys)
    assert recall >= HELD3_RECALL_FLOOR and fpr == 0.0


# -- the scorer on its own ----------------------------------------------------------------------------------

def themes(scorer: NonpublicContentScorer, text: str, at: float = 0.7) -> set[str]:
    canon = normalize(text).text
    return {r.recognition_metadata["theme"] for r in scorer.score(canon, []) if r.score >= at}


@pytest.mark.parametrize("text,theme", [
    (TUNE_BLOCK[0], "discipline"),
    (TUNE_BLOCK[3], "inspection"),
    (TUNE_BLOCK[5], "personnel"),
    (TUNE_BLOCK[8], "whistleblower"),
    (TUNE_BLOCK[10], "defence"),
    (TUNE_BLOCK[16], "security"),
    (TUNE_BLOCK[12], "exam"),
    (TUNE_BLOCK[14], "unreleased"),
    (TUNE_BLOCK[20], "incident"),
    (TUNE_BLOCK[18], "personnel"),  # English
])
def test_theme_of_a_finding(scorer: NonpublicContentScorer, text: str, theme: str) -> None:
    assert theme in themes(scorer, text)


def test_one_finding_per_theme_with_fixed_why(scorer: NonpublicContentScorer) -> None:
    text = TUNE_BLOCK[0] + "\n" + TUNE_BLOCK[5]
    canon = normalize(text).text
    results = scorer.score(canon, [])
    kinds = [r.recognition_metadata["theme"] for r in results]
    assert len(kinds) == len(set(kinds))
    for r in results:
        assert r.entity_type == ENTITY and r.recognition_metadata["category"] == CATEGORY
        assert 0 <= r.start < r.end <= len(canon)
        why = r.recognition_metadata["why"]
        assert THEMES[r.recognition_metadata["theme"]] in why
        for word in ("郝建军", "段文博", "审理报告", "拟提拔", "开除党籍", "知悉范围"):
            assert word not in why


def test_published_form_is_discounted(scorer: NonpublicContentScorer) -> None:
    """The same facts as a case file and as a published bulletin."""
    draft = ("关于某区水务局原局长胡建成违纪问题的审查报告\n经查，胡建成违规收受礼金8万元，利用职务便利为他人谋取利益。"
             "审理室建议给予其撤销党内职务处分。")
    published = ("关于3起违反中央八项规定精神典型问题的通报\n近日，某区纪委监委通报：某区水务局原局长胡某某违规收受礼金8万元，"
                 "利用职务便利为他人谋取利益。胡某某受到撤销党内职务处分。各级党组织要引以为戒。")
    assert "discipline" in themes(scorer, draft)
    assert not themes(scorer, published)


def test_general_rule_is_not_a_restriction(scorer: NonpublicContentScorer) -> None:
    rule = "考生须知：考试结束前，任何人不得以任何方式泄露试题。请考生携带准考证和身份证。"
    instruction = "附：2025年期中考试试题（A卷）。一、选择题（每小题3分，共30分）。考试结束前不得泄露。"
    assert scorer.evaluate(normalize(instruction).text)
    best_rule = max((e["score"] for e in scorer.evaluate(normalize(rule).text)), default=0.0)
    best_instr = max(e["score"] for e in scorer.evaluate(normalize(instruction).text))
    assert best_rule < 0.5 < best_instr


def test_fiction_and_training_are_discounted(scorer: NonpublicContentScorer) -> None:
    case = "专案组对副市长采取留置措施，谈话笔录显示其收受财物，建议给予开除党籍处分。"
    assert "discipline" in themes(scorer, case)
    assert not themes(scorer, "长篇小说《暗流》第三章：" + case)
    assert not themes(scorer, "纪检监察培训讲义：什么是留置？例如：" + case)


def test_density_window_long_text(scorer: NonpublicContentScorer) -> None:
    """Scattered words in a long text do not add up; the same words close together do."""
    words = ["留置措施", "谈话笔录", "审查调查报告", "建议给予", "开除党籍", "违纪事实"]
    filler = "今天天气很好，我们去公园散步，看到很多人在锻炼身体。" * 60
    scattered = filler.join(words)
    dense = "，".join(words) + "。" + filler
    assert max((e["score"] for e in scorer.evaluate(normalize(scattered).text)), default=0.0) < 0.4
    assert max(e["score"] for e in scorer.evaluate(normalize(dense).text)) >= 0.5


def test_ordinary_writing_has_no_finding(scorer: NonpublicContentScorer) -> None:
    for text in ("请帮我写一首关于秋天的诗。", "Summarise the key ideas of this paper on photosynthesis.",
                 "祖传秘制红烧肉做法：五花肉切块焯水。", ""):
        assert scorer.score(normalize(text).text if text else text, []) == []


# -- lexicon files ------------------------------------------------------------------------------------------

def test_lexicon_files_parse_and_cover_every_group() -> None:
    rows = lexmod.read_dir("nonpublic")
    groups = {g for _, _, g in rows}
    assert set(THEMES) <= groups and {"process", "restriction", "public", "training", "fiction", "shadow"} <= groups
    assert all(w >= 0 for _, w, _ in rows)
    assert len(rows) > 800


def test_lexicon_format_errors_name_the_line() -> None:
    with pytest.raises(ValueError, match="x.txt:2"):
        lexmod.parse(["1 好", "oops"], "g", "x.txt")
    with pytest.raises(ValueError, match="negative"):
        lexmod.parse(["-1 坏"], "g", "x.txt")


def test_lexicon_longest_match_and_ascii_boundaries() -> None:
    lex = lexmod.Lexicon([("考察", 1.0, "a"), ("考察学习", 0.0, "shadow"), ("exam", 1.0, "a"), ("公示", 1.0, "b"),
                          ("尚未公示", 2.0, "c"), ("前", 1.0, "_t")])
    hits = lex.find("赴外地考察学习；名单尚未公示前。The EXAM and examples.")
    terms = [lex.entries[i].term for i in hits.entries]
    assert terms == ["考察学习", "尚未公示", "exam"]
    assert [g for _, _, g in hits.triggers] == ["_t"]
