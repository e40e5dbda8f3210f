#!/usr/bin/env python3
"""The parts of scripts/security-scan that are easier in Python than in bash.

  cookies JAR JSON             curl's cookie jar -> wapiti's JSON cookie file
  wapiti ARGS...               wapiti 3.0.4, with its -x wildcards working on Python 3.11
  endpoint PORT                a loopback out-of-band endpoint for wapiti's ssrf and xxe modules
  wapiti-findings REPORT       prints each finding of a wapiti JSON report, exits 1 when there is one
  crawled SESSION_DB PATH...   exits 1 unless wapiti's crawl (its session database) reached every PATH
  api-requests OPENAPI DIR BASE KEY   one raw HTTP request per API operation, every parameter marked with '*'
"""
import datetime
import http.server
import json
import os
import re
import sqlite3
import sys
import urllib.parse


def wapiti(*args):
    """Debian's wapiti 3.0.4 with two of its bugs fixed: it compiles each -x pattern as '<pattern>\\Z(?ms)', which
    Python 3.11 refuses (global flags must come first), so any -x crashes the crawl; and its cookieflags module
    looks for 'HttpOnly' case-sensitively, while attribute names are case-insensitive (RFC 6265 5.2) and ASP.NET
    writes 'httponly'."""
    from wapitiCore.attack import mod_cookieflags
    from wapitiCore.main import wapiti as main
    from wapitiCore.net import crawler

    def wildcard_translate(pattern):
        return re.compile("(?ms)" + ".*".join(re.escape(part) for part in pattern.split("*")) + r"\Z")

    crawler.wildcard_translate = wildcard_translate
    mod_cookieflags.mod_cookieflags.check_httponly_flag = staticmethod(
        lambda cookie: any(name.lower() == "httponly" for name in cookie._rest))
    sys.argv = ["wapiti", *args]
    return main.wapiti_main()


def cookies(jar_path, json_path):
    jar = {}
    with open(jar_path) as lines:
        for line in lines:
            line = line.strip()
            if line.startswith("#HttpOnly_"):
                line = line[len("#HttpOnly_"):]
            elif not line or line.startswith("#"):
                continue
            domain, _, path, secure, expires, name, value = line.split("\t")
            jar.setdefault(domain, {}).setdefault(path, {})[name] = {
                "value": value,
                "expires": int(expires) or None,
                "secure": secure == "TRUE",
                "port": None,
                "version": 0,
            }
    with open(json_path, "w") as out:
        json.dump(jar, out)


class OutOfBandEndpoint(http.server.BaseHTTPRequestHandler):
    """wapiti's payloads make a vulnerable target fetch <endpoint>ssrf/<session>/<path id>/<hex param>/... or
    <endpoint>dtd/<session>/<path id>/<hex param>/<payload>.dtd; get_ssrf.php / get_xxe.php?id=<session> tell
    wapiti which of its requests did (the protocol of wapiti3.ovh, kept on loopback)."""

    hits = {"ssrf": {}, "dtd": {}, "xxe_data": {}}
    ANSWERS = {"/get_ssrf.php": ("ssrf",), "/get_xxe.php": ("dtd", "xxe_data")}

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path in self.ANSWERS:
            session = urllib.parse.parse_qs(url.query).get("id", [""])[0]
            answer = {}
            for kind in self.ANSWERS[url.path]:
                for path_id, params in self.hits[kind].get(session, {}).items():
                    for param, infos in params.items():
                        answer.setdefault(path_id, {}).setdefault(param, []).extend(infos)
            self.reply(200, json.dumps(answer).encode())
            return
        parts = url.path.strip("/").split("/")
        if len(parts) >= 4 and parts[0] in self.hits:
            kind, session, path_id, param = parts[:4]
            size = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(size)
            self.hits[kind].setdefault(session, {}).setdefault(path_id, {}).setdefault(param, []).append({
                "url": self.path,
                "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                "ip": self.client_address[0],
                "method": self.command,
                "size": size,
                "payload": parts[4] if len(parts) > 4 else kind,
            })
            print(f"out-of-band hit: {self.command} {self.path} from {self.client_address[0]}", flush=True)
        self.reply(404, b"")

    def reply(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def endpoint(port):
    http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), OutOfBandEndpoint).serve_forever()


# Over plain HTTP (the scan's loopback) no cookie can be Secure: browsers would not store it from a non-local
# http:// site. scripts/deploy behind TLS sets SignIn:SecureCookies, which marks every cookie Secure
# (Security/HeaderAttackTests); this category is listed, not counted.
PLAIN_HTTP_ONLY = {"Secure Flag cookie"}


def wapiti_findings(report_path):
    with open(report_path) as report_file:
        report = json.load(report_file)
    counted = plain_http = 0
    for section in ("vulnerabilities", "anomalies", "additionals"):
        for category, findings in report.get(section, {}).items():
            for finding in findings:
                listed = category in PLAIN_HTTP_ONLY
                plain_http += listed
                counted += not listed
                where = f'{finding.get("method", "")} {finding.get("path", "")}'.strip()
                note = " (plain HTTP only, not counted)" if listed else ""
                print(f'  {section}/{category}: {where} {finding.get("parameter") or ""}: {finding.get("info", "")}{note}')
    print(f"  {counted} finding(s), {plain_http} Secure-flag note(s) of plain HTTP")
    return 1 if counted else 0


def crawled(session_db, *paths):
    with sqlite3.connect(session_db) as db:
        urls = {urllib.parse.urlsplit(row[0]).path for row in db.execute("SELECT path FROM paths")}
    missing = [path for path in paths if path not in urls]
    print(f"  crawled {len(urls)} path(s); signed-in pages {'missing: ' + ', '.join(missing) if missing else 'reached: ' + ', '.join(paths)}")
    return 1 if missing else 0


def sample(schema, spec):
    """A value of the schema's shape (strings marked '*' for sqlmap), following $ref into components."""
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].split("/")[-1]]
    if schema.get("enum"):
        return f"{schema['enum'][0]}*"
    kinds = schema.get("type", "object")
    kind = next((k for k in kinds if k != "null"), "string") if isinstance(kinds, list) else kinds
    if kind == "object":
        return {name: sample(prop, spec) for name, prop in schema.get("properties", {}).items()}
    if kind == "array":
        return [sample(schema.get("items", {}), spec)]
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return False
    return "probe*"


def marked(schema, spec):
    """A query parameter's sample value, marked for sqlmap: a number where the API expects one, so the base request is valid."""
    value = sample(schema, spec)
    return value if isinstance(value, str) else f"{json.dumps(value)}*"


# Endpoints that stream until the client leaves (server-sent events): every sqlmap request would wait for its timeout.
STREAMS = {"/api/workspaces/changes"}


def api_requests(openapi_path, out_dir, base, api_key):
    with open(openapi_path) as spec_file:
        spec = json.load(spec_file)
    host = urllib.parse.urlsplit(base).netloc
    os.makedirs(out_dir, exist_ok=True)
    written = 0
    for path, operations in spec["paths"].items():
        if path in STREAMS:
            continue
        for method, operation in operations.items():
            params = operation.get("parameters", []) + operations.get("parameters", [])
            url = re.sub(r"\{[^}]+\}", "sqlmap-probe*", path)
            query = [f"{p['name']}={marked(p.get('schema', {}), spec)}" for p in params if p.get("in") == "query"]
            if query:
                url += "?" + "&".join(query)
            body = None
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                body = json.dumps(sample(content["application/json"].get("schema", {}), spec))
            if "*" not in url and not (body and "*" in body):
                continue
            lines = [f"{method.upper()} {url} HTTP/1.1", f"Host: {host}", f"X-Api-Key: {api_key}", "Accept: application/json"]
            if body is not None:
                lines += ["Content-Type: application/json", f"Content-Length: {len(body.encode())}"]
            name = re.sub(r"[^a-z0-9]+", "-", f"{method} {path}".lower()).strip("-")
            with open(os.path.join(out_dir, name + ".http"), "w") as request:
                request.write("\r\n".join(lines) + "\r\n\r\n" + (body or ""))
            written += 1
    print(written)


COMMANDS = {
    "wapiti": wapiti,
    "cookies": cookies,
    "endpoint": endpoint,
    "wapiti-findings": wapiti_findings,
    "crawled": crawled,
    "api-requests": api_requests,
}

if __name__ == "__main__":
    sys.exit(COMMANDS[sys.argv[1]](*sys.argv[2:]) or 0)
