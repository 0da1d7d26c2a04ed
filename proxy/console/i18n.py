"""Every user-facing string of the console, in Chinese (the default) and English.

``?lang=en`` / ``?lang=zh`` switches the language and is remembered in a cookie (set by
``proxy.console.web.ConsoleHeaders``). Templates call ``_("key")``; a test checks that every key they use
exists here. Store messages are already bilingual ("中文 / English"): :func:`pick` takes the right half.
"""
from __future__ import annotations

from typing import Any

from proxy.pipeline.enforce import CATEGORY_LABELS

LANGS = ("zh", "en")
DEFAULT = "zh"
COOKIE = "baomi_lang"

M: dict[str, tuple[str, str]] = {
    # frame
    "app": ("保密网关 · 审核台", "baomi · review console"),
    "nav.queue": ("事件队列", "Queue"),
    "nav.dashboard": ("统计", "Dashboard"),
    "nav.proposals": ("白名单建议", "Allow-list proposals"),
    "nav.reviewers": ("审核员", "Reviewers"),
    "nav.audit": ("查阅记录", "Evidence views"),
    "logout": ("退出", "Log out"),
    "lang.other": ("English", "中文"),
    "role.reviewer": ("审核员", "reviewer"),
    "role.admin": ("管理员", "admin"),
    "role.auditor": ("审计员", "auditor"),
    # login
    "login.title": ("登录", "Log in"),
    "login.name": ("用户名", "Name"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Log in"),
    "login.failed": ("用户名或密码错误，或账户已被锁定（连续 5 次失败后锁定 15 分钟）。",
                     "Name or password wrong, or the account is locked (15 minutes after 5 failures in a row)."),
    "login.expired": ("登录表单已过期，请重新提交。", "The login form expired; please submit it again."),
    "login.hint": ("首个管理员账户用命令创建：baomi reviewers add 名称 --role admin --password-stdin",
                   "Create the first admin with: baomi reviewers add NAME --role admin --password-stdin"),
    # queue
    "queue.title": ("事件队列", "Incident queue"),
    "f.since": ("起始日期", "From"),
    "f.until": ("截止日期（含）", "To (inclusive)"),
    "f.category": ("类别", "Category"),
    "f.client": ("客户端", "Client"),
    "f.department": ("部门", "Department"),
    "f.upstream": ("上游", "Upstream"),
    "f.decision": ("处置", "Decision"),
    "f.status": ("状态", "Status"),
    "f.any": ("全部", "any"),
    "f.apply": ("筛选", "Filter"),
    "f.reset": ("清除", "Reset"),
    "queue.export_csv": ("导出 CSV", "Export CSV"),
    "queue.export_json": ("导出 JSON", "Export JSON"),
    "queue.export_note": ("导出内容仅含元数据（不含证据文本）。", "Exports contain metadata only (no evidence text)."),
    "queue.empty": ("没有符合条件的事件。", "No incidents match."),
    "queue.next": ("下一页 →", "Next page →"),
    "queue.first": ("← 第一页", "← First page"),
    "col.time": ("时间（北京时间）", "Time (UTC+08:00)"),
    "col.id": ("事件编号", "Incident"),
    "col.endpoint": ("接口", "Endpoint"),
    "col.model": ("模型", "Model"),
    "col.categories": ("类别", "Categories"),
    "col.ticket": ("审核编号", "Ticket"),
    "decision.block": ("拦截", "blocked"),
    "decision.hold": ("待审", "held"),
    "status.open": ("待处理", "open"),
    "status.confirmed": ("已确认", "confirmed"),
    "status.false_positive": ("误报", "false positive"),
    "status.held": ("待放行", "held"),
    "status.released": ("已放行", "released"),
    # incident
    "inc.title": ("事件", "Incident"),
    "inc.meta": ("概况", "Summary"),
    "inc.document": ("被拦截的内容", "What was stopped"),
    "inc.purged": ("证据已按保存期限删除", "evidence purged after the retention period"),
    "inc.no_evidence": ("此事件没有保存证据。", "No evidence was stored for this incident."),
    "inc.elided": ("…… 省略 {n} 字 ……", "… {n} characters omitted …"),
    "inc.truncated": ("文档较长（{n} 字），只显示命中内容及其上下文。",
                      "Long document ({n} characters): only the findings and their context are shown."),
    "inc.reasons": ("命中原因", "Reasons"),
    "inc.recognizer": ("识别器", "Recognizer"),
    "inc.entity": ("实体", "Entity"),
    "inc.score": ("分数", "Score"),
    "inc.why": ("依据", "Why"),
    "inc.text": ("命中文本", "Flagged text"),
    "inc.rules": ("规则", "Rules"),
    "inc.history": ("审核记录", "Review history"),
    "inc.views": ("证据查阅记录", "Evidence views"),
    "inc.none": ("暂无", "none yet"),
    "inc.who": ("人员", "Who"),
    "inc.action": ("操作", "Action"),
    "inc.comment": ("说明", "Comment"),
    "inc.actions": ("处理", "Act"),
    "inc.export_json": ("导出此事件（含证据，JSON）", "Export this incident (with evidence, JSON)"),
    "inc.view_recorded": ("您的本次查阅已被记录。", "This view of the evidence has been recorded."),
    "inc.readonly": ("审计员只读，不能处理事件。", "Auditors have read-only access."),
    "act.confirm": ("确认违规", "Confirm"),
    "act.false_positive": ("标记误报", "False positive"),
    "act.release": ("放行", "Release"),
    "act.comment": ("备注", "Comment"),
    "act.export": ("导出", "export"),
    "act.fp_hint": ("误报需要说明；将作为白名单建议提交给管理员。",
                    "A false positive needs a comment; it is proposed to an admin as an allow-list entry."),
    "act.comment_placeholder": ("说明（误报和备注必填）", "Comment (required for false positive and comment)"),
    "act.release_hint": ("放行后，提交人用审核编号重新发送同一请求即可获得答复。",
                         "Once released, the member of staff re-sends the same request with the ticket."),
    "act.done": ("已完成：{what}", "Done: {what}"),
    # dashboard
    "dash.title": ("统计", "Dashboard"),
    "dash.days": ("最近天数", "Last days"),
    "dash.per_day": ("每日事件数", "Incidents per day"),
    "dash.per_category": ("各类别事件数", "Incidents per category"),
    "dash.top_clients": ("事件最多的客户端", "Top clients"),
    "dash.top_departments": ("事件最多的部门", "Top departments"),
    "dash.fp_rate": ("各识别器误报率", "False-positive rate per recognizer"),
    "dash.fp_note": ("误报 / 已判定（确认或误报）的事件；放行不计。",
                     "false positives / judged (confirmed or false positive) incidents; releases not counted."),
    "dash.empty": ("此期间没有数据。", "No data in this period."),
    "dash.total": ("合计 {n} 起", "{n} in total"),
    "dash.judged": ("已判定 {n}", "{n} judged"),
    # proposals
    "prop.title": ("白名单建议（来自误报）", "Allow-list proposals (from false positives)"),
    "prop.intro": ("以下事件被审核员标记为误报。核实后可将建议的片段加入策略文件（例如 policies/local.yaml），"
                   "用 baomi policy check 检查后生效。查看本页会记录证据查阅。",
                   "Reviewers marked these incidents as false positives. After checking, add the suggested "
                   "snippet to a policy file (e.g. policies/local.yaml) and run baomi policy check. Viewing this "
                   "page records an evidence view for each incident shown."),
    "prop.empty": ("暂无误报。", "No false positives."),
    "prop.snippet": ("建议的策略片段", "Suggested policy snippet"),
    "prop.too_long": ("命中文本超过 {n} 字，未列入建议，请人工编写规则。",
                      "Flagged text over {n} characters left out; write a rule by hand."),
    "prop.by": ("误报说明", "False-positive comment"),
    # reviewers
    "rev.title": ("审核员管理", "Reviewers"),
    "rev.name": ("名称", "Name"),
    "rev.role": ("角色", "Role"),
    "rev.created": ("创建时间", "Created"),
    "rev.state": ("状态", "State"),
    "rev.active": ("正常", "active"),
    "rev.locked": ("锁定至 {t}", "locked until {t}"),
    "rev.disabled": ("已停用", "disabled"),
    "rev.add": ("添加账户", "Add an account"),
    "rev.password": ("初始密码（至少 10 个字符）", "Initial password (10 characters or more)"),
    "rev.disable": ("停用", "Disable"),
    "rev.reset": ("重设密码", "Reset password"),
    "rev.new_password": ("新密码", "New password"),
    "rev.added": ("已添加 {name}", "Added {name}"),
    "rev.disabled_done": ("已停用 {name}，其登录会话已全部结束", "Disabled {name}; all their sessions ended"),
    "rev.reset_done": ("已重设 {name} 的密码并解除锁定", "Password of {name} reset, lockout lifted"),
    "rev.not_self": ("不能停用自己的账户。", "You cannot disable your own account."),
    # audit
    "audit.title": ("证据查阅记录", "Evidence views"),
    "audit.intro": ("每次有人查看、导出或在白名单建议页看到证据文本都会记录一行。",
                    "A row for every time someone looked at, exported or saw evidence text on the proposals page."),
    "audit.older": ("更早 →", "Older →"),
    # errors
    "err.title": ("出错了", "Something is wrong"),
    "err.back": ("返回事件队列", "Back to the queue"),
    "err.forbidden": ("您的角色（{role}）无权执行此操作。", "Your role ({role}) may not do this."),
    "err.csrf": ("表单校验失败（CSRF 令牌缺失或不符）。请刷新页面后重试。",
                 "Form check failed (missing or wrong CSRF token). Reload the page and try again."),
    "err.not_found": ("没有这个页面或事件。", "No such page or incident."),
    "err.bad_input": ("输入无效：{what}", "Invalid input: {what}"),
    "err.conflict": ("无法执行：{what}", "Not possible: {what}"),
}

def normalize(lang: str | None) -> str | None:
    return lang if lang in LANGS else None


def gettext(lang: str, key: str, **kw: Any) -> str:
    zh, en = M[key]
    text = en if lang == "en" else zh
    return text.format(**kw) if kw else text


def pick(lang: str, bilingual: str) -> str:
    """The half of a "中文 / English" store message in the reader's language (the whole text otherwise)."""
    zh, sep, en = bilingual.partition(" / ")
    if not sep:
        return bilingual
    return en if lang == "en" else zh


def category(lang: str, code: str) -> str:
    zh, en = CATEGORY_LABELS.get(code, (code, code))
    return en if lang == "en" else zh


class Translator:
    """What templates get as ``_``: ``_("key", n=3)``; ``_.cat(code)``; ``_.lang``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **kw: Any) -> str:
        return gettext(self.lang, key, **kw)

    def cat(self, code: str) -> str:
        return category(self.lang, code)

    def pick(self, bilingual: str) -> str:
        return pick(self.lang, bilingual)
