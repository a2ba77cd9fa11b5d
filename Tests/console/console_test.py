#!/usr/bin/env python3
"""The console in a real browser (headless Chromium driven by Selenium), against a real fleet of
worker processes on the test servers: submit a question and see its parts, verdicts and answer
arrive; pause the instant lane and see its backlog grow, resume it; replay a dead letter; and the
token: refused without it when bound to a non-loopback address. Screenshots go to $DELLM_TEST_ARTIFACTS.
Bounded: every wait has a deadline; all processes are stopped at the end."""
import json, os, socket, statistics, subprocess, sys, time, urllib.request, urllib.error, uuid

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

BIN = os.environ["DELLM_TEST_BIN"]
SHOTS = os.path.join(os.environ.get("DELLM_TEST_ARTIFACTS", "/tmp/dellm-artifacts"), "console")
os.makedirs(SHOTS, exist_ok=True)
NS = "console" + uuid.uuid4().hex[:6]
# A database of its own (the genomes and generations are fleet-wide state).
DB_URL = os.environ["DELLM_TEST_DATABASE_URL"].rsplit("/", 1)[0] + "/" + NS
ENV = dict(os.environ, DELLM_REDIS_URL=os.environ["DELLM_TEST_REDIS_URL"], DELLM_DATABASE_URL=DB_URL,
           DELLM_NAMESPACE=NS, DELLM_MODEL_URL="http://127.0.0.1:1", DELLM_BLOCK_MS="200", DELLM_LOG_LEVEL="warning",
           DELLM_SPOT_RATE="0")
procs = []


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def start(*args, env=ENV):
    p = subprocess.Popen([BIN, *args], env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(SHOTS, f"{args[0]}-{args[1] if len(args) > 1 else ''}.log"), "a"))
    procs.append(p)
    return p


def until(what, check, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            v = check()
        except (StaleElementReferenceException, NoSuchElementException):
            v = None  # the page redrew the element meanwhile: look again
        if v:
            return v
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def http(url, method="GET", token=None):
    req = urllib.request.Request(url, method=method, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except (urllib.error.URLError, ConnectionError):
        return 0, ""  # not listening yet


def psql(url, sql):
    subprocess.run(["psql", url, "-qtAc", sql], check=True, stdout=subprocess.DEVNULL)


# Three generations as the evolver writes them: each genome's fitness and the fleet's.
GENERATIONS = """INSERT INTO generations (number, kind, fleet_fitness, band, population, fitness) VALUES
  (101, 'evolve', 0.30, 'crisis', '["g-a","g-b"]', '{"g-a": 0.20, "g-b": 0.40}'),
  (102, 'evolve', 0.45, 'crisis', '["g-a","g-b","g-c"]', '{"g-a": 0.35, "g-b": 0.50, "g-c": 0.55}'),
  (103, 'evolve', 0.60, 'aggressive', '["g-b","g-c"]', '{"g-b": 0.55, "g-c": 0.70}')"""


def main():
    psql(os.environ["DELLM_TEST_DATABASE_URL"], f"CREATE DATABASE {NS}")
    subprocess.run([BIN, "migrate"], env=ENV, check=True, stdout=subprocess.DEVNULL)
    for role in ["ingest", "verifier", "synthesizer"]:
        start("worker", role)
    start("worker", "specialist", "--types", "math", "--node", "console-node")
    port = free_port()
    start("console", "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    until("the console", lambda: http(base + "/api/backlog")[0] == 200)

    opts = Options()
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,900", "--disable-dev-shm-usage"]:
        opts.add_argument(a)
    opts.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    try:
        driver.get(base + "/")
        until("the live connection", lambda: driver.find_element(By.ID, "conn").text == "live")
        # Submit from the page: a question of two parts; its parts, verdicts and answer appear.
        driver.find_element(By.ID, "text").send_keys("What is 12 times 12? What is 9 plus 10?")
        driver.find_element(By.ID, "submit").click()
        # The text is read in the same look-up that finds the element: the page may redraw it in between
        # (a StaleElementReferenceException in one run); `until` looks again.
        text = until("the answer", lambda: [e.text for e in driver.find_elements(By.ID, "answer")][:1], 30)[0]
        assert "144" in text and "19" in text, text
        parts = until("the trace", lambda: driver.find_elements(By.CSS_SELECTOR, "#trace .part"), 10)
        verdicts = until("the verdicts", lambda: [v.text for v in driver.find_elements(By.CSS_SELECTOR, "#trace .verdict")], 10)
        assert len(parts) == 2 and all(v.startswith("passed") for v in verdicts), (len(parts), verdicts)
        driver.save_screenshot(os.path.join(SHOTS, "1-answered.png"))
        # The submitting user's ledger: the charge for that question.
        # (In the right-hand column, which scrolls: brought into view first.)
        field = driver.find_element(By.ID, "ledgeruser")
        driver.execute_script("arguments[0].scrollIntoView()", field)
        field.send_keys("console")
        driver.execute_script("document.getElementById('ledgershow').click()")
        until("the ledger", lambda: "credits" in driver.find_element(By.ID, "ledger").text and "charge" in driver.find_element(By.ID, "ledger").text, 20)
        # Fitness per generation: a line per genome (g-a culled after 102, g-c born in 102) and the fleet's.
        psql(DB_URL, GENERATIONS)
        driver.execute_script("loadFleet()")
        lines = lambda: {e.get_attribute("data-genome"): len(e.get_attribute("points").split()) for e in driver.find_elements(By.CSS_SELECTOR, "#fitness polyline")}
        until("a fitness line per genome", lambda: lines() == {"g-a": 2, "g-b": 3, "g-c": 2, "fleet": 3}, 20)
        first_x = lambda g: float(driver.find_element(By.CSS_SELECTOR, f'#fitness polyline[data-genome="{g}"]').get_attribute("points").split()[0].split(",")[0])
        assert first_x("g-a") < first_x("g-c"), "generations run oldest to newest, left to right"
        assert "g-c" in driver.find_element(By.ID, "fitlegend").text
        driver.execute_script("document.getElementById('fitness').scrollIntoView()")
        driver.save_screenshot(os.path.join(SHOTS, "1b-fitness.png"))
        driver.execute_script("document.getElementById('streams').scrollIntoView()")
        # Pause the instant lane from the page: a new question waits (its stream's lag grows); resume it.
        row = lambda: driver.find_element(By.CSS_SELECTOR, '#streams tr[data-stream="tasks:instant"]')
        until("the pause button clicked", lambda: row().find_element(By.CSS_SELECTOR, "button.pause").click() or True)
        until("the pause shown", lambda: "(paused)" in row().text, 20)
        # The lanes re-read the paused set about once a second: a question asked before they did is answered;
        # ask again until one waits (its stream's lag grows on the page while it stays running).
        def one_waits():
            qid = subprocess.run([BIN, "submit", "What is 7 times 6?"], env=ENV, capture_output=True, text=True, check=True).stdout.strip()
            try:
                until("its backlog", lambda: row().find_element(By.CSS_SELECTOR, "td.lag").text not in ("0", "-"), 3)
                return qid
            except AssertionError:
                return None
        qid = until("a question that waits", one_waits, 20)
        driver.save_screenshot(os.path.join(SHOTS, "2-paused.png"))
        status = json.loads(http(base + f"/api/trace?id={qid}")[1])["status"]
        assert status == "running", status
        # The waiting query, cancelled from the page, then retried from the page.
        until("the waiting query selected", lambda: driver.find_element(By.CSS_SELECTOR, f'.q[data-id="{qid}"]').click() or True)
        until("its trace", lambda: driver.find_element(By.ID, "tq").get_attribute("data-id") == qid)
        until("cancel clicked", lambda: driver.find_element(By.XPATH, "//div[@id='tq']/button[text()='Cancel']").click() or True)
        until("the query cancelled", lambda: driver.find_element(By.ID, "tstatus").text == "cancelled", 20)
        assert json.loads(http(base + f"/api/trace?id={qid}")[1])["status"] == "cancelled"
        until("retry clicked", lambda: driver.find_element(By.XPATH, "//div[@id='tq']/button[text()='Retry']").click() or True)
        until("the retry selected", lambda: driver.find_element(By.ID, "tq").get_attribute("data-id") == qid + "-retry-1", 20)
        until("the resume button clicked", lambda: row().find_element(By.CSS_SELECTOR, "button.resume").click() or True)
        until("the retry answered on the page", lambda: any("42" in e.text for e in driver.find_elements(By.ID, "answer")), 20)
        driver.save_screenshot(os.path.join(SHOTS, "2b-retried.png"))
        # A dead letter (an entry of an unknown version), replayed from the page.
        subprocess.run(["redis-cli", "-u", ENV["DELLM_REDIS_URL"], "XADD", f"{NS}:queries", "*", "v", "9", "job", "{}"], check=True, stdout=subprocess.DEVNULL)
        until("the dead letter", lambda: driver.find_elements(By.CSS_SELECTOR, "button.replay"), 20)
        driver.save_screenshot(os.path.join(SHOTS, "3-dead-letter.png"))
        before = driver.execute_script("return window.dellm.events.filter(e => e.stream === 'queries').length")
        until("the replay button clicked", lambda: driver.find_element(By.CSS_SELECTOR, "button.replay").click() or True)
        until("the replayed entry on its stream", lambda: driver.execute_script("return window.dellm.events.filter(e => e.stream === 'queries').length") > before, 10)
        lat = driver.execute_script("return window.dellm.latencies")
        print(f"console: {len(lat)} events reached the page; from commit to page p50 {statistics.median(lat):.0f} ms, "
              f"max {max(lat)} ms; screenshots in {SHOTS}")
    except Exception:
        driver.save_screenshot(os.path.join(SHOTS, "failed.png"))
        print("page log:", driver.get_log("browser") if hasattr(driver, "get_log") else "")
        raise
    finally:
        driver.quit()

    # The token: bound to a non-loopback address, the console refuses to start without one, and with
    # one refuses every request that does not carry it.
    p = subprocess.run([BIN, "console", "--host", "0.0.0.0", "--port", str(free_port())], env=ENV, capture_output=True, text=True, timeout=20)
    assert p.returncode == 64 and "token" in p.stderr, (p.returncode, p.stderr)
    tport = free_port()
    start("console", "--host", "0.0.0.0", "--port", str(tport), env=dict(ENV, DELLM_CONSOLE_TOKEN="s3cret"))
    until("the console with a token", lambda: http(f"http://127.0.0.1:{tport}/api/backlog", token="s3cret")[0] == 200)
    assert http(f"http://127.0.0.1:{tport}/api/backlog")[0] == 401
    assert http(f"http://127.0.0.1:{tport}/")[0] == 401
    assert http(f"http://127.0.0.1:{tport}/api/pause?type=math", method="POST")[0] == 401
    print("console: without its token, refused (exit 64) on 0.0.0.0; with one, every request without it answered 401")


if __name__ == "__main__":
    try:
        main()
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
