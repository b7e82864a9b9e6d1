//! `rapport-server`: runs the reference backend (on 127.0.0.1 unless `RAPPORT_BIND` says otherwise).

use rapport_server::{app, db, lifecycle_job, outbox, seed, telemetry, AppState, Config};
use std::net::SocketAddr;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init(
        std::env::var("RAPPORT_LOG").ok().as_deref(),
        std::env::var("RAPPORT_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")),
    );
    let args: Vec<String> = std::env::args().skip(1).collect();
    let vars = |k: &str| std::env::var(k).ok();
    let settings = Config::from_env_and_args(vars, &args).and_then(|config| {
        let sender = outbox::SenderConfig::from_env(vars)?;
        let every = lifecycle_job::interval_from_env(vars)?;
        Ok((config, sender, every))
    });
    let (config, sender, every) = match settings {
        Ok(settings) => settings,
        Err(message) => {
            tracing::error!("rapport-server: {message}");
            return ExitCode::from(2);
        }
    };
    match run(config, sender, every).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("rapport-server: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(
    config: Config,
    sender: outbox::SenderConfig,
    lifecycle_every: std::time::Duration,
) -> Result<(), String> {
    let pool = db::open(&config.database).await.map_err(|e| {
        format!(
            "cannot open database {:?}: {e}",
            db::describe(&config.database)
        )
    })?;
    if config.seed_demo {
        let seeded = seed::seed_if_empty(&pool)
            .await
            .map_err(|e| format!("cannot seed demo data: {}", e.message))?;
        if seeded {
            tracing::info!(database = %db::describe(&config.database), "seeded demo data");
        }
    }
    for dir in [&config.portal_dir, &config.widget_dir] {
        if !dir.join("index.html").exists() && !dir.join("demo.html").exists() {
            tracing::warn!(
                dir = %dir.display(),
                "no built files here yet; only the API is served from there"
            );
        }
    }
    // Loopback by default: put a TLS-terminating proxy in front (and name it in
    // RAPPORT_TRUSTED_PROXIES) before binding to a public address.
    let bind = SocketAddr::from((config.bind, config.port));
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(
        %addr,
        database = %db::describe(&config.database),
        secure_cookie = config.secure_cookie,
        trusted_proxies = config.trusted_proxies.len(),
        session_idle_s = config.session_idle.as_secs(),
        password_workers = config.password_workers,
        password_queue = config.password_queue,
        max_connections = config.max_connections,
        survey_rate_per_minute = config.survey_rate_per_minute,
        "listening"
    );
    // For the person who started it (not a log line): where to go and how to sign in.
    println!("Rapport is running at http://{addr}/");
    println!(
        "  Demo login:   {} / {}",
        seed::DEMO_EMAIL,
        seed::DEMO_PASSWORD
    );
    println!(
        "  Staff login:  {} / {}",
        seed::STAFF_EMAIL,
        seed::DEMO_PASSWORD
    );
    println!("  Widget demo:  http://{addr}/widget/demo.html");
    println!("  API:          http://{addr}/api/v1/health");
    // The bound port (it may have been 0): confirmation links printed to the log must point here.
    let config = Config {
        port: addr.port(),
        ..config
    };
    rapport_server::sessions::spawn_pruner(pool.clone(), config.session_idle);
    rapport_server::throttle::spawn_pruner(pool.clone());
    rapport_server::retention::spawn(pool.clone());
    let limits = rapport_server::serve::Limits::from_config(&config);
    // Each instance delivers the outbox (see outbox.rs) and runs the lifecycle pass when no other
    // instance is running it.
    let transport = outbox::Transport::from_config(&sender, outbox::stdout_letterbox())?;
    tracing::info!(
        smtp = sender.smtp_url.is_some(),
        poll_ms = u64::try_from(sender.poll.as_millis()).unwrap_or(u64::MAX),
        lifecycle_every_s = lifecycle_every.as_secs(),
        "outbox sender"
    );
    if let Some(file) = &sender.test_clock_file {
        tracing::warn!(
            file = %file.display(),
            "RAPPORT_TEST_CLOCK_FILE is set: the outbox sender's clock follows it (for tests only)"
        );
    }
    outbox::spawn_sender(pool.clone(), transport, sender);
    let state = AppState::new(pool, config);
    lifecycle_job::spawn(state.clone(), lifecycle_every);
    let app = app(state);
    rapport_server::serve::serve(listener, app, limits, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .map_err(|e| e.to_string())
}
