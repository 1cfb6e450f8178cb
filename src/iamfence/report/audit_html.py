"""The HTML audit report: one self-contained file (no network, no external assets). The findings
are embedded once as JSON inside a `<script type="application/json">` element (with `<`, `>`, `&`
and the JS line separators escaped, so no name can close the element) and rendered a page at a time
by a small script using `textContent` only, so that a name can never become markup and the DOM
stays small at 100k findings. The initial view can be set in the URL fragment, e.g.
`report.html#q=app-&severity=error&page=2`."""

from __future__ import annotations

import html
import json
from typing import Any, cast

from iamfence.audit import AuditResult
from iamfence.diagnostics import Severity
from iamfence.report.audit import message

PAGE_SIZE = 100
_SEVERITIES = ("error", "warning", "info")


def _embed(data: Any) -> str:
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _data(result: AuditResult) -> dict[str, Any]:
    accounts = sorted(
        {f.account for f in result.findings} | {a.account_id for a in result.accounts}
    )
    codes = sorted({f.code for f in result.findings})
    acc_index = {a: i for i, a in enumerate(accounts)}
    code_index = {c: i for i, c in enumerate(codes)}
    rows = [
        [
            code_index[f.code],
            _SEVERITIES.index(f.severity.value),
            acc_index[f.account],
            f.subject_arn,
            message(f),
            1 if f.muted else 0,
            f.mute_reason,
            {k: list(v) if isinstance(v, tuple) else v for k, v in f.evidence},
        ]
        for f in result.findings
    ]
    return {
        "accounts": accounts,
        "codes": codes,
        "severities": list(_SEVERITIES),
        "rows": rows,
        "pageSize": PAGE_SIZE,
    }


_STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b1f24}
h1{font-size:1.4rem}table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.subject{font-family:monospace;word-break:break-all}
.error{color:#b42318;font-weight:600}.warning{color:#9a6700}.info{color:#0969da}
tr.muted{opacity:.55}.controls{display:flex;gap:.6rem;flex-wrap:wrap;margin:1rem 0;align-items:center}
.summary td,.summary th{border:none;padding:.1rem .6rem .1rem 0}
pre{white-space:pre-wrap;margin:0;font-size:.75rem}
"""

_SCRIPT = r"""
(function(){
"use strict";
var D=JSON.parse(document.getElementById("iamfence-data").textContent);
var S={q:"",severity:"",code:"",account:"",muted:"1",page:1};
var h=new URLSearchParams(location.hash.replace(/^#/,""));
h.forEach(function(v,k){if(k in S){S[k]=k==="page"?Math.max(1,parseInt(v,10)||1):v;}});
function el(id){return document.getElementById(id);}
function fill(sel,vals,label){var o=document.createElement("option");o.value="";o.textContent=label;sel.appendChild(o);
 vals.forEach(function(v,i){var x=document.createElement("option");x.value=String(i);x.textContent=v;sel.appendChild(x);});}
fill(el("f-severity"),D.severities,"all severities");fill(el("f-code"),D.codes,"all codes");fill(el("f-account"),D.accounts,"all accounts");
function idx(list,v){if(v==="")return "";var i=list.indexOf(v);return i<0?String(v):String(i);}
S.severity=idx(D.severities,S.severity);S.code=idx(D.codes,S.code);S.account=idx(D.accounts,S.account);
el("f-q").value=S.q;el("f-severity").value=S.severity;el("f-code").value=S.code;el("f-account").value=S.account;el("f-muted").checked=S.muted!=="0";
function matches(r){
 if(S.severity!==""&&r[1]!==+S.severity)return false;
 if(S.code!==""&&r[0]!==+S.code)return false;
 if(S.account!==""&&r[2]!==+S.account)return false;
 if(S.muted==="0"&&r[5])return false;
 if(S.q){var q=S.q.toLowerCase();if((D.codes[r[0]]+" "+D.accounts[r[2]]+" "+r[3]+" "+r[4]).toLowerCase().indexOf(q)<0)return false;}
 return true;}
function td(tr,text,cls){var c=document.createElement("td");c.textContent=text;if(cls)c.className=cls;tr.appendChild(c);return c;}
function render(){
 var hits=[];for(var i=0;i<D.rows.length;i++){if(matches(D.rows[i]))hits.push(D.rows[i]);}
 var pages=Math.max(1,Math.ceil(hits.length/D.pageSize));if(S.page>pages)S.page=pages;
 var body=el("rows");while(body.firstChild)body.removeChild(body.firstChild);
 var start=(S.page-1)*D.pageSize;
 hits.slice(start,start+D.pageSize).forEach(function(r){
  var tr=document.createElement("tr");tr.className="finding"+(r[5]?" muted":"");
  td(tr,D.codes[r[0]]);td(tr,D.severities[r[1]],D.severities[r[1]]);td(tr,D.accounts[r[2]]);td(tr,r[3],"subject");
  var m=td(tr,r[4]);if(r[5]){var s=document.createElement("div");s.className="mute";s.textContent="muted: "+r[6];m.appendChild(s);}
  var ev=document.createElement("details");var su=document.createElement("summary");su.textContent="evidence";ev.appendChild(su);
  var pre=document.createElement("pre");pre.textContent=JSON.stringify(r[7],null,1);ev.appendChild(pre);
  var c=document.createElement("td");c.appendChild(ev);tr.appendChild(c);body.appendChild(tr);});
 el("count").textContent=hits.length+" of "+D.rows.length+" findings";
 el("page").textContent="page "+S.page+" of "+pages;
 el("prev").disabled=S.page<=1;el("next").disabled=S.page>=pages;}
function change(){S.q=el("f-q").value;S.severity=el("f-severity").value;S.code=el("f-code").value;S.account=el("f-account").value;
 S.muted=el("f-muted").checked?"1":"0";S.page=1;render();}
["f-q","f-severity","f-code","f-account","f-muted"].forEach(function(id){el(id).addEventListener("input",change);el(id).addEventListener("change",change);});
el("prev").addEventListener("click",function(){S.page--;render();});
el("next").addEventListener("click",function(){S.page++;render();});
render();
})();
"""


def _summary_rows(result: AuditResult, fail_on: Severity) -> str:
    s = result.summary(fail_on)
    by_severity = cast(dict[str, int], s["by_severity"])
    items: list[tuple[str, str]] = [
        ("audit", str(s["audit_id"])),
        ("started", str(s["started_at"])),
        ("expected boundary", str(s["boundary_arn"])),
        ("accounts", f"{s['accounts_audited']} audited, {s['accounts_not_audited']} not audited"),
        ("roles / users", f"{s['roles']} / {s['users']}"),
        (
            "findings",
            f"{s['findings']} ({', '.join(f'{v} {k}' for k, v in by_severity.items())}), {s['muted']} muted",
        ),
        (
            "result",
            ("compliant" if s["compliant"] else "NOT compliant") + f" (fail on {fail_on.value})",
        ),
    ]
    if result.trend is not None:
        c = result.trend.counts
        items.append(
            (
                "trend",
                f"{c['new']} new, {c['fixed']} fixed, {c['unchanged']} unchanged vs {result.trend.previous_audit or 'none'}",
            )
        )
    if result.drift is not None:
        granted = ", ".join(f"{len(a)} {lvl}" for lvl, a in result.drift.granted_by_level().items())
        items.append(
            (
                "catalog drift",
                f"{len(result.drift.added)} actions added since {result.drift.baseline_version}; granted by the boundary: {granted or 'none'} (findings IF720/IF721)",
            )
        )
    return "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in items)


def render_html(result: AuditResult, fail_on: Severity = Severity.ERROR) -> str:
    accounts = "".join(
        f"<tr><td>{html.escape(a.account_id)}</td><td>{html.escape(a.status.value)}</td><td>{a.roles}</td>"
        f"<td>{a.users}</td><td>{a.findings}</td><td>{html.escape(a.reason)}</td></tr>"
        for a in result.accounts
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<title>iamfence audit {html.escape(result.audit_id)}</title><style>{_STYLE}</style></head><body>"
        "<h1>iamfence audit</h1>"
        f'<table class="summary" id="summary">{_summary_rows(result, fail_on)}</table>'
        '<h2>Accounts</h2><table id="accounts"><thead><tr><th>account</th><th>status</th><th>roles</th>'
        f"<th>users</th><th>findings</th><th>reason</th></tr></thead><tbody>{accounts}</tbody></table>"
        '<h2>Findings</h2><div class="controls">'
        '<input id="f-q" type="search" placeholder="filter: subject, message, code" size="40">'
        '<select id="f-severity"></select><select id="f-code"></select><select id="f-account"></select>'
        '<label><input id="f-muted" type="checkbox" checked> show muted</label>'
        '<button id="prev" type="button">previous</button><span id="page"></span>'
        '<button id="next" type="button">next</button><span id="count"></span></div>'
        "<noscript><p>This report needs JavaScript to list findings; the JSON report has the same data.</p></noscript>"
        '<table id="findings"><thead><tr><th>code</th><th>severity</th><th>account</th><th>subject</th>'
        '<th>message</th><th>evidence</th></tr></thead><tbody id="rows"></tbody></table>'
        f'<script type="application/json" id="iamfence-data">{_embed(_data(result))}</script>'
        f"<script>{_SCRIPT}</script></body></html>\n"
    )
