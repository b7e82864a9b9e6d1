//! The real cluster of `scripts/cluster.sh`: PostgreSQL, two server instances and HAProxy in front.
//! A session made through one instance works through the other, failed sign-ins spread over both lock
//! the account, and one idempotency key sent to both at once stores one answer.

mod common;
mod live;

use live::{send, Req};
use rapport_server::seed::{DEMO_EMAIL, DEMO_PASSWORD};
use serde_json::json;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;

struct Cluster {
    env: Vec<(String, String)>,
    front: SocketAddr,
    instances: [SocketAddr; 2],
    database: String,
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/cluster.sh")
}

impl Cluster {
    /// Starts a cluster on ports of its own (this test binary's process id picks them).
    fn start() -> Cluster {
        let offset = u16::try_from(std::process::id() % 500).unwrap();
        let env = vec![
            (
                "RAPPORT_CLUSTER_PORT".to_owned(),
                (18_000 + 3 * offset).to_string(),
            ),
            ("RAPPORT_PG_PORT".to_owned(), (56_000 + offset).to_string()),
            (
                "RAPPORT_SERVER_BIN".to_owned(),
                env!("CARGO_BIN_EXE_rapport-server").to_owned(),
            ),
        ];
        let run = |verb: &str| {
            Command::new("bash")
                .arg(script())
                .arg(verb)
                .envs(env.iter().map(|(k, v)| (k, v)))
                .output()
                .expect("bash runs")
        };
        let started = run("start");
        assert!(
            started.status.success(),
            "cluster.sh start: {}{}",
            String::from_utf8_lossy(&started.stdout),
            String::from_utf8_lossy(&started.stderr)
        );
        let printed = String::from_utf8(run("env").stdout).unwrap();
        let value = |name: &str| {
            printed
                .lines()
                .find_map(|l| l.strip_prefix(&format!("export {name}=")))
                .unwrap_or_else(|| panic!("{name} in {printed}"))
                .to_owned()
        };
        let addr = |text: &str| text.trim_start_matches("http://").parse().unwrap();
        let instances: Vec<SocketAddr> = value("RAPPORT_CLUSTER_INSTANCES")
            .split(',')
            .map(addr)
            .collect();
        Cluster {
            front: addr(&value("RAPPORT_CLUSTER_URL")),
            instances: [instances[0], instances[1]],
            database: value("RAPPORT_CLUSTER_DATABASE_URL"),
            env,
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(script())
            .arg("stop")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .output();
    }
}

fn login(password: &str) -> Req {
    Req::post_json(
        "/api/v1/session",
        json!({ "email": DEMO_EMAIL, "password": password }),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "starts PostgreSQL and HAProxy (scripts/test.sh runs it with --ignored)"]
async fn two_instances_behind_haproxy_share_sessions_limits_and_keys() {
    let cluster = Cluster::start();
    let [one, two] = cluster.instances;

    // Round robin: answers through the front come from both instances (their request ids are
    // HAProxy's, and each instance logs what it answered; here: both answer at all).
    for addr in [cluster.front, one, two] {
        assert_eq!(send(addr, Req::get("/api/v1/health")).await.status, 200);
    }

    // A session made through one instance works through the other, and through the front.
    let signed_in = send(one, login(DEMO_PASSWORD)).await;
    assert_eq!(signed_in.status, 200, "{signed_in:?}");
    let cookie = signed_in.cookie().expect("a session cookie");
    for addr in [two, cluster.front, cluster.front] {
        let me = send(addr, Req::get("/api/v1/me").cookie(&cookie)).await;
        assert_eq!(me.status, 200, "{addr}: {me:?}");
    }

    // One idempotency key sent to both instances at once: one row, and both answers carry its id.
    let reference =
        serde_json::to_value(rapport_core::builtin("nps").unwrap().reference()).unwrap();
    let answer = |addr: SocketAddr| {
        let body = json!({"instrument": reference, "answers": {"NPS": 10}});
        let request = Req::post_json("/api/v1/survey-responses", body)
            .header("Idempotency-Key", "cluster-key-0001")
            .cookie(&cookie);
        send(addr, request)
    };
    let (a, b) = tokio::join!(answer(one), answer(two));
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 201], "{a:?} {b:?}");
    assert_eq!(a.json()["id"], b.json()["id"]);
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&cluster.database).await.unwrap();
    let rows: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM survey_responses WHERE idempotency_key = 'cluster-key-0001'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(rows, 1);

    // Five failed sign-ins spread over both instances lock the account for this client on both.
    for i in 0..5 {
        let wrong = send(cluster.instances[i % 2], login(&format!("wrong-{i}"))).await;
        assert_eq!(wrong.status, 401, "attempt {i}");
    }
    for addr in [one, two, cluster.front] {
        let locked = send(addr, login(DEMO_PASSWORD)).await;
        assert_eq!(locked.status, 429, "{addr}");
        assert!(locked.header("retry-after").is_some());
    }
    pool.close().await;
}
