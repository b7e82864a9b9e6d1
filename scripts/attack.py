#!/usr/bin/env python3
"""Runs issue 18's attacks against a built rapport-server and prints a table: attack, expected, observed.

Usage: attack.py PATH-TO-rapport-server. Each attack gets a fresh server (in-memory database, a free
port) with the settings it needs. Exits 1 if any attack is not stopped. Standard library only.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter

SERVER = sys.argv[1]
DEMO, STAFF, PASSWORD = "demo@rapport.test", "staff@rapport.test", "rapport-demo"
ROWS = []


class Server:
    def __init__(self, **env):
        self.dir = tempfile.mkdtemp(prefix="rapport-attack-")
        full = {
            "PATH": os.environ.get("PATH", ""),
            "RAPPORT_PORT": "0",
            "RAPPORT_DB": ":memory:",
            "RAPPORT_PORTAL_DIR": self.dir,
            "RAPPORT_WIDGET_DIR": self.dir,
        }
        full.update(env)
        self.proc = subprocess.Popen([SERVER], env=full, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        self.lines = []
        for line in self.proc.stdout:
            if line.startswith("Rapport is running at http://"):
                host, port = line.split("http://")[1].strip().rstrip("/").split(":")
                self.addr = (host, int(port))
                break
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    def peak_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM"):
                    return int(line.split()[1]) // 1024
        return -1

    def stop(self):
        self.proc.kill()
        self.proc.wait()


def request(addr, method, path, body=None, headers=None, timeout=30):
    """One request on a new connection; (status, headers, body). Status 0: no answer."""
    headers = dict(headers or {})
    data = b""
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    if method != "GET":
        headers["Content-Length"] = str(len(data))
    head = f"{method} {path} HTTP/1.1\r\nHost: {addr[0]}:{addr[1]}\r\nConnection: close\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    try:
        with socket.create_connection(addr, timeout=timeout) as s:
            s.sendall(head.encode() + data)
            raw = b""
            while chunk := s.recv(65536):
                raw += chunk
    except OSError:
        return 0, {}, ""
    head, _, rest = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        return 0, {}, ""
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hdrs.setdefault(k.strip().lower(), v.strip())
    return status, hdrs, rest.decode("utf-8", "replace")


def parallel(n, make):
    results = [None] * n

    def run(i):
        results[i] = make(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def login(addr, email, password, headers=None):
    return request(addr, "POST", "/api/v1/session", {"email": email, "password": password}, headers)


def cookie_of(answer):
    return answer[1].get("set-cookie", "").split(";")[0]


def row(attack, expected, observed, ok):
    ROWS.append((attack, expected, observed, ok))
    print(f"  {'ok  ' if ok else 'FAIL'} {attack}: {observed}", flush=True)


def nps(score):
    return {"instrument": {"id": "nps", "version": NPS_REF["version"], "hash": NPS_REF["hash"]},
            "answers": {"NPS": score}}


def burst_of_guesses():
    srv = Server(RAPPORT_PASSWORD_QUEUE="400")
    guesses = [None] * 299
    threads = [threading.Thread(target=lambda i=i: guesses.__setitem__(
        i, login(srv.addr, DEMO, f"guess-{i}"))) for i in range(299)]
    for t in threads:
        t.start()
    time.sleep(0.1)
    right = login(srv.addr, DEMO, PASSWORD)
    for t in threads:
        t.join()
    answers = guesses + [right]
    checked = sum(1 for a in answers if a[0] in (200, 401))
    row("300 parallel guesses at one account", "<= 5 passwords checked, right one 429",
        f"{checked} checked, right one {right[0]}", checked <= 5 and right[0] == 429)
    srv.stop()


def memory():
    srv = Server(RAPPORT_TRUSTED_PROXIES="127.0.0.1")
    answers = parallel(500, lambda i: login(srv.addr, f"user{i}@rapport.test", "x",
                                            {"X-Forwarded-For": f"10.{i // 250}.{i % 250}.1"}))
    peak = srv.peak_mb()
    counts = dict(Counter(a[0] for a in answers))
    row("500 parallel sign-ins", "peak RSS < 512 MB, only 401/503",
        f"peak {peak} MB, {counts}", peak < 512 and set(counts) <= {401, 503})
    srv.stop()


def proxy_lockout():
    srv = Server(RAPPORT_TRUSTED_PROXIES="127.0.0.1")
    for i in range(60):
        login(srv.addr, f"nobody{i}@x.test", "guess", {"X-Forwarded-For": "203.0.113.66"})
    for n in range(1, 7):
        for _ in range(5):
            login(srv.addr, DEMO, "guess", {"X-Forwarded-For": f"203.0.113.{n}"})
    staff = login(srv.addr, STAFF, PASSWORD, {"X-Forwarded-For": "192.0.2.44"})[0]
    attacker = login(srv.addr, DEMO, PASSWORD, {"X-Forwarded-For": "203.0.113.1"})[0]
    customer = login(srv.addr, DEMO, PASSWORD, {"X-Forwarded-For": "192.0.2.200"})
    wait = customer[1].get("retry-after", "-")
    ok = staff == 200 and attacker == 429 and (customer[0] == 200 or int(wait) <= 60)
    row("spray + 6 addresses guessing one account (via proxy)",
        "others sign in; customer waits <= 60 s",
        f"staff {staff}, attacker {attacker}, customer {customer[0]} (Retry-After {wait})", ok)
    srv.stop()


def spoofed_forwarding():
    srv = Server()
    statuses = [login(srv.addr, DEMO, "guess", {"X-Forwarded-For": f"198.51.100.{i}"})[0]
                for i in range(7)]
    row("spoofed X-Forwarded-For (no trusted proxy)", "locked after 5",
        " ".join(map(str, statuses)), statuses == [401] * 5 + [429] * 2)
    srv.stop()


def spellings():
    srv = Server()
    for _ in range(5):
        login(srv.addr, DEMO, "guess")
    variants = ["de\u00admo@rapport.test", "demo\u200b@rapport.test", "\uff44emo@rapport.test"]
    statuses = [login(srv.addr, v, PASSWORD)[0] for v in variants]
    row("other spellings of a locked account", "429 each", " ".join(map(str, statuses)),
        statuses == [429] * 3)
    srv.stop()


def survey_flood():
    srv = Server()
    stop_at = time.time() + 5
    stored = Counter()
    lock = threading.Lock()

    def client(c):
        n = 0
        while time.time() < stop_at:
            n += 1
            status = request(srv.addr, "POST", "/api/v1/survey-responses", nps(0),
                             {"Idempotency-Key": f"flood-{c}-{n:08d}"})[0]
            with lock:
                stored[status] += 1

    parallel(16, client)
    total = sum(stored.values())
    # Beyond the burst allowance of 30, what the flood keeps getting through, per minute.
    per_minute = max(0, stored[201] - 30) * 60 // 5
    row("anonymous survey flood, 16 clients, 5 s", "<= 30 + 0.5/s stored, rest 429",
        f"{stored[201]} of {total} stored (was 544/s); {dict(stored)}",
        stored[201] <= 34 and stored[201] + stored[429] == total)
    srv.stop()
    return per_minute


def csrf():
    srv = Server()
    cookie = cookie_of(login(srv.addr, STAFF, PASSWORD))
    statuses = []
    for extra in ({"Origin": "http://127.0.0.1:9999"}, {"Sec-Fetch-Site": "same-site"}):
        headers = {"Cookie": cookie, "Content-Type": "text/plain", **extra}
        statuses.append(request(srv.addr, "POST", "/api/v1/staff/orders/1/delivered", b"",
                                headers)[0])
    row("body-less POST from another origin", "403", " ".join(map(str, statuses)),
        statuses == [403, 403])
    srv.stop()


def idle_flood():
    srv = Server(RAPPORT_MAX_CONNECTIONS="200")
    idle = []
    for _ in range(3000):
        try:
            idle.append(socket.create_connection(srv.addr, timeout=2))
        except OSError:
            break
    started = time.time()
    status = request(srv.addr, "GET", "/api/v1/health", timeout=10)[0]
    took = time.time() - started
    for s in idle:
        s.close()
    row(f"{len(idle)} idle connections, then a health check", "200 within 2 s",
        f"{status} in {took * 1000:.0f} ms", status == 200 and took < 2)
    srv.stop()


def slow_headers():
    srv = Server(RAPPORT_HEADER_TIMEOUT_S="2")
    s = socket.create_connection(srv.addr, timeout=10)
    s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
    started = time.time()
    closed = False
    try:
        while time.time() - started < 8:
            s.sendall(b"X")
            s.settimeout(0.5)
            try:
                if s.recv(4096) == b"":
                    closed = True
                    break
                closed = True  # an error answer also ends it
                break
            except socket.timeout:
                pass
    except OSError:
        closed = True
    took = time.time() - started
    s.close()
    row("headers dripped a byte at a time", "closed within ~2 s",
        f"closed after {took:.1f} s" if closed else "still open", closed and took < 4)
    srv.stop()


def cookies_cache_hsts():
    srv = Server(RAPPORT_SECURE_COOKIE="1")
    answer = login(srv.addr, DEMO, PASSWORD)
    cookie = cookie_of(answer)
    hsts = answer[1].get("strict-transport-security", "none")
    two = request(srv.addr, "GET", "/api/v1/me", headers={
        "Cookie": f"__Host-rapport_session=planted; {cookie}"})[0]
    me = request(srv.addr, "GET", "/api/v1/me", headers={"Cookie": cookie})
    row("cookie tossing (two session cookies)", "401, cookie __Host-",
        f"{two}, {cookie.split('=')[0]}", two == 401 and cookie.startswith("__Host-"))
    row("HSTS with RAPPORT_SECURE_COOKIE=1", "max-age=31536000", hsts, hsts == "max-age=31536000")
    cache = me[1].get("cache-control", "none")
    row("GET /me caching", "no-store", cache, cache == "no-store")
    srv.stop()


def mail_bombing():
    srv = Server()
    cookie = cookie_of(login(srv.addr, DEMO, PASSWORD))
    parallel(100, lambda i: request(srv.addr, "POST", "/api/v1/contact-points",
                                    {"channel": "email", "address": "victim@example.test"},
                                    {"Cookie": cookie}))
    time.sleep(0.2)
    sent = sum(1 for line in srv.lines if line.startswith("Confirm contact point"))
    row("100 parallel adds of one address", "<= 3 messages", f"{sent} messages", sent <= 3)
    srv.stop()


def long_texts():
    srv = Server()
    body = nps(5)
    body["respondent_id"] = "x" * 10_000
    status, _, text = request(srv.addr, "POST", "/api/v1/survey-responses", body,
                              {"Idempotency-Key": "long-text-0001"})
    field = json.loads(text)["error"]["fields"][0]["field"] if status == 422 else "-"
    row("10,000-character respondent_id", "422 naming respondent_id", f"{status} {field}",
        status == 422 and field == "respondent_id")
    srv.stop()


def main():
    global NPS_REF
    srv = Server()
    NPS_REF = json.loads(request(srv.addr, "GET", "/api/v1/instruments/nps")[2])
    srv.stop()
    started = time.time()
    burst_of_guesses()
    memory()
    proxy_lockout()
    spoofed_forwarding()
    spellings()
    per_minute = survey_flood()
    csrf()
    idle_flood()
    slow_headers()
    cookies_cache_hsts()
    mail_bombing()
    long_texts()
    widths = [max(len(str(r[i])) for r in ROWS + [("attack", "expected", "observed")])
              for i in range(3)]
    print()
    print(" | ".join(h.ljust(w) for h, w in zip(("attack", "expected", "observed"), widths)))
    print("-+-".join("-" * w for w in widths))
    for attack, expected, observed, ok in ROWS:
        mark = "" if ok else "   <-- NOT STOPPED"
        print(" | ".join(str(c).ljust(w) for c, w in zip((attack, expected, observed), widths))
              + mark)
    print(f"\nanswers stored under the survey flood: a burst of 30, then ~{per_minute} a minute")
    failed = [r for r in ROWS if not r[3]]
    print(f"{len(ROWS) - len(failed)} of {len(ROWS)} attacks stopped in {time.time() - started:.0f} s")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
