//! The e-mail outbox: every message to a customer is a row of `outbox_messages` before it is anything
//! else, and a sender in each server instance delivers the rows that are due.
//!
//! Feature modules queue a message with [`enqueue`], inside the transaction that decided to send it, so
//! that a message exists exactly when its cause (a stored token, a stored invitation) does.
//!
//! The sender ([`spawn_sender`], one per instance) claims due rows in batches: on PostgreSQL with
//! `FOR UPDATE SKIP LOCKED`, so that the senders of several instances never take the same row, and on
//! SQLite in one statement under the database's single write lock. A claim moves the row's
//! `next_attempt_at` a lease ahead ([`LEASE`]); a sender that dies mid-delivery leaves the row to be
//! claimed again when the lease ends. Each claimed row then goes through the customer's send-time rules
//! ([`crate::send_rules`]): sent, moved to the next allowed minute, or dropped with a reason. A mail
//! server that fails is tried again after a doubling delay, [`SenderConfig::max_attempts`] times in all;
//! then the row is `failed`. Delivery is at least once: a crash between the mail server's acceptance and
//! the row's update sends that message again after the lease (its `Message-ID` is the same both times).
//!
//! Without `RAPPORT_SMTP_URL` the "mail server" is the server's standard output, where a person trying
//! the demo reads the links (the letterbox), as before the outbox.

use crate::clock::rfc3339;
use crate::db::{is_postgres, Conn, Db};
use crate::send_rules::{self, Decision, Kind, SentRecently};
use crate::{preferences, AppError};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use rapport_api::Channel;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// A message to queue with [`enqueue`].
#[derive(Clone, Debug)]
pub struct Message<'a> {
    /// Which send-time rules apply (see [`crate::send_rules`]).
    pub kind: Kind,
    /// The customer it is for, whose preferences apply; `None` for an address with no account.
    pub customer_id: Option<i64>,
    /// `Email`; any other channel (a phone number's confirmation) goes to the letterbox only.
    pub channel: Channel,
    pub to: &'a str,
    pub subject: &'a str,
    /// Plain text. The letterbox prints it as it is.
    pub body: &'a str,
    /// The earliest moment it may go out (usually now).
    pub due_at: OffsetDateTime,
}

impl<'a> Message<'a> {
    /// An e-mail due now.
    pub fn email(
        kind: Kind,
        customer_id: Option<i64>,
        to: &'a str,
        subject: &'a str,
        body: &'a str,
    ) -> Self {
        Self {
            kind,
            customer_id,
            channel: Channel::Email,
            to,
            subject,
            body,
            due_at: OffsetDateTime::now_utc(),
        }
    }
}

/// The local sender, woken when something is queued so that a message due now leaves at once rather
/// than at the next poll (the poll still finds what other instances queued).
static WAKE: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// Queues a message; returns its row id. Call it inside the transaction that makes the message true
/// (it is delivered only once that commits). The sender applies the customer's preferences when the
/// message is due, not here.
pub async fn enqueue(conn: &mut Conn, message: &Message<'_>) -> Result<i64, AppError> {
    let now = rfc3339(OffsetDateTime::now_utc());
    let due = rfc3339(message.due_at);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO outbox_messages (kind, channel, customer_id, recipient, subject, body,
                                      created_at, due_at, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(message.kind.as_text())
    .bind(message.channel.as_str())
    .bind(message.customer_id)
    .bind(message.to)
    .bind(message.subject)
    .bind(message.body)
    .bind(&now)
    .bind(&due)
    .fetch_one(&mut *conn)
    .await?;
    WAKE.notify_one();
    Ok(id)
}

/// A claimed message, as a transport delivers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

/// Where messages that may go out are handed over.
pub type Letterbox = Arc<dyn Fn(&Outgoing) + Send + Sync>;

/// How the sender delivers.
#[derive(Clone)]
pub enum Transport {
    /// Handed to a function: by default printed on standard output (the demo's letterbox); tests
    /// capture them.
    Letterbox(Letterbox),
    /// Sent to a mail server; messages for channels other than e-mail still go to the letterbox.
    Smtp {
        mailer: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
        letterbox: Letterbox,
    },
}

/// The demo's letterbox: the message's text on standard output (not a log line).
pub fn stdout_letterbox() -> Letterbox {
    Arc::new(|message: &Outgoing| println!("{}", message.body))
}

impl Transport {
    /// The transport for `config`: SMTP when it names a mail server, else the letterbox.
    pub fn from_config(config: &SenderConfig, letterbox: Letterbox) -> Result<Self, String> {
        let Some(url) = &config.smtp_url else {
            return Ok(Transport::Letterbox(letterbox));
        };
        let (host, port) = smtp_address(url)?;
        let mailer = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = config
            .from
            .parse::<Mailbox>()
            .map_err(|e| format!("RAPPORT_MAIL_FROM: {e}"))?;
        Ok(Transport::Smtp {
            mailer,
            from,
            letterbox,
        })
    }

    /// Delivers one message: `Err` is a failure worth trying again (the mail server), with its text.
    async fn deliver(&self, message: &Outgoing) -> Result<(), Delivery> {
        match self {
            Transport::Letterbox(letterbox) => {
                letterbox(message);
                Ok(())
            }
            Transport::Smtp { letterbox, .. } if message.channel != "email" => {
                letterbox(message);
                Ok(())
            }
            Transport::Smtp { mailer, from, .. } => {
                let to = message
                    .recipient
                    .parse::<Mailbox>()
                    .map_err(|_| Delivery::Undeliverable("bad_address"))?;
                let host = from.email.domain().to_owned();
                let email = lettre::Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(message.subject.clone())
                    .message_id(Some(format!("<outbox-{}@{host}>", message.id)))
                    .body(message.body.clone())
                    .map_err(|_| Delivery::Undeliverable("bad_message"))?;
                mailer
                    .send(email)
                    .await
                    .map(drop)
                    .map_err(|e| Delivery::Retry(e.to_string()))
            }
        }
    }
}

/// Host and port of a `smtp://host[:port]` URL (port 25 by default). The server is built without TLS:
/// the mail server must be on a trusted network (a local relay, or the test sink).
pub fn smtp_address(url: &str) -> Result<(String, u16), String> {
    let bad = || format!("RAPPORT_SMTP_URL must look like smtp://host:port, not {url:?}");
    let rest = url.trim().strip_prefix("smtp://").ok_or_else(bad)?;
    let rest = rest.trim_end_matches('/');
    if rest.is_empty() || rest.contains(['/', '@', '?']) {
        return Err(bad());
    }
    match rest.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && !host.ends_with(':') => {
            let port = port
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(bad)?;
            Ok((host.trim_matches(['[', ']']).to_owned(), port))
        }
        Some(_) => Err(bad()),
        None => Ok((rest.to_owned(), 25)),
    }
}

enum Delivery {
    /// Worth another try later (the mail server failed or could not be reached).
    Retry(String),
    /// Never deliverable as it is: dropped with this reason.
    Undeliverable(&'static str),
}

/// The sender's settings, from the environment.
#[derive(Clone, Debug)]
pub struct SenderConfig {
    /// `RAPPORT_SMTP_URL`, e.g. `smtp://127.0.0.1:2525` (plain SMTP: a local relay or the test sink);
    /// none: the letterbox.
    pub smtp_url: Option<String>,
    /// `RAPPORT_MAIL_FROM`, default `Rapport <no-reply@rapport.test>`.
    pub from: String,
    /// How often the sender looks for due rows queued elsewhere (`RAPPORT_OUTBOX_POLL_MS`, default 1000).
    pub poll: Duration,
    /// The delay before the first retry, doubling each time up to an hour (`RAPPORT_OUTBOX_RETRY_S`,
    /// default 30).
    pub retry: Duration,
    /// Delivery attempts before a message is given up as `failed` (10: about 5 hours with the defaults).
    pub max_attempts: i64,
    /// Rows a pass claims at a time (20).
    pub batch: i64,
    /// For tests only (`RAPPORT_TEST_CLOCK_FILE`): a file holding a number of seconds that the sender
    /// adds to the time, read at every pass, so that a test can move the sender past a customer's
    /// quiet hours instead of waiting for them to end. Nothing a client sends can reach it.
    pub test_clock_file: Option<std::path::PathBuf>,
}

impl Default for SenderConfig {
    fn default() -> Self {
        Self {
            smtp_url: None,
            from: "Rapport <no-reply@rapport.test>".to_owned(),
            poll: Duration::from_secs(1),
            retry: Duration::from_secs(30),
            max_attempts: 10,
            batch: 20,
            test_clock_file: None,
        }
    }
}

impl SenderConfig {
    pub fn from_env(vars: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let mut config = SenderConfig {
            smtp_url: vars("RAPPORT_SMTP_URL").filter(|u| !u.trim().is_empty()),
            ..SenderConfig::default()
        };
        if let Some(from) = vars("RAPPORT_MAIL_FROM") {
            config.from = from;
        }
        let number = |name: &str| -> Result<Option<u64>, String> {
            vars(name)
                .map(|v| {
                    v.trim()
                        .parse::<u64>()
                        .ok()
                        .filter(|n| *n >= 1)
                        .ok_or_else(|| format!("{name} must be a whole number of at least 1"))
                })
                .transpose()
        };
        if let Some(ms) = number("RAPPORT_OUTBOX_POLL_MS")? {
            config.poll = Duration::from_millis(ms);
        }
        if let Some(s) = number("RAPPORT_OUTBOX_RETRY_S")? {
            config.retry = Duration::from_secs(s);
        }
        config.test_clock_file = vars("RAPPORT_TEST_CLOCK_FILE")
            .filter(|path| !path.trim().is_empty())
            .map(std::path::PathBuf::from);
        Ok(config)
    }

    /// The sender's time: now, plus the test clock's seconds when one is set (a missing or unreadable
    /// file counts as 0).
    pub fn now(&self) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc();
        let Some(file) = &self.test_clock_file else {
            return now;
        };
        let ahead = std::fs::read_to_string(file)
            .ok()
            .and_then(|text| text.trim().parse::<i64>().ok())
            .unwrap_or(0);
        now.checked_add(time::Duration::seconds(ahead))
            .unwrap_or(now)
    }
}

/// How long a claimed row is left to its sender before another may claim it again.
pub const LEASE: time::Duration = time::Duration::minutes(2);
/// The delay before the next try after `attempts` failed ones: `retry`, doubling, at most an hour.
pub fn backoff(retry: Duration, attempts: i64) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
    retry
        .saturating_mul(1 << doublings)
        .min(Duration::from_secs(3600))
}

/// What one pass of the sender did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    /// Put off to the next allowed minute.
    pub waiting: usize,
    pub dropped: usize,
    /// Failed at the mail server, to be tried again (or given up, see `failed`).
    pub retried: usize,
    pub failed: usize,
}

type ClaimedRow = (
    i64,
    String,
    String,
    Option<i64>,
    String,
    String,
    String,
    i64,
);

/// Claims the rows due at `now` (a batch) and settles each. Call again while it returns a full batch.
pub async fn deliver_due(
    db: &Db,
    transport: &Transport,
    config: &SenderConfig,
    now: OffsetDateTime,
) -> Result<(Pass, usize), AppError> {
    let mut conn = db.acquire().await?;
    // The due rows are picked once, in a CTE of their own: as an `IN (…)` subquery PostgreSQL rescans
    // them for every row it updates, skipping the rows this very statement already moved on, and so
    // claimed every due row whatever the limit.
    let (materialized, skip_locked) = if is_postgres(&conn) {
        ("MATERIALIZED", "FOR UPDATE SKIP LOCKED")
    } else {
        ("", "")
    };
    let claimed: Vec<ClaimedRow> = sqlx::query_as(&format!(
        "WITH due AS {materialized} (
             SELECT id FROM outbox_messages
             WHERE state = 'pending' AND next_attempt_at <= $2
             ORDER BY next_attempt_at, id LIMIT $3 {skip_locked})
         UPDATE outbox_messages SET next_attempt_at = $1
         WHERE id IN (SELECT id FROM due) AND state = 'pending' AND next_attempt_at <= $2
         RETURNING id, kind, channel, customer_id, recipient, subject, body, attempts"
    ))
    .bind(rfc3339(now + LEASE))
    .bind(rfc3339(now))
    .bind(config.batch)
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    let count = claimed.len();
    let mut pass = Pass::default();
    for row in claimed {
        let capped = match (Kind::parse(&row.1), row.3) {
            (Some(Kind::Marketing(_)), Some(customer)) => Some(customer),
            _ => None,
        };
        match capped {
            Some(customer) => {
                deliver_capped(db, transport, config, now, row, customer, &mut pass).await?
            }
            None => deliver_one(db, transport, config, now, &row, &mut pass).await?,
        }
    }
    Ok((pass, count))
}

/// SQLite's stand-in for the per-customer lock: its one sender per process takes marketing messages
/// one at a time.
static MARKETING_ON_SQLITE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
/// The first key of the per-customer advisory lock (the second is the customer's id).
const CAP_LOCK: i64 = 0x7261_7070;

/// A marketing message: its customer's frequency cap is counted, the message sent and the count's
/// row settled while the customer is locked, so that senders of other instances delivering to the same
/// customer at the same moment count it (on PostgreSQL an advisory lock per customer, held by the
/// transaction that settles the row; on SQLite the process's one marketing turn).
async fn deliver_capped(
    db: &Db,
    transport: &Transport,
    config: &SenderConfig,
    now: OffsetDateTime,
    row: ClaimedRow,
    customer: i64,
    pass: &mut Pass,
) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    if !is_postgres(&tx) {
        // No transaction held across a delivery on SQLite: it would hold the database's only writer.
        tx.rollback().await?;
        let _turn = MARKETING_ON_SQLITE.lock().await;
        return deliver_one(db, transport, config, now, &row, pass).await;
    }
    sqlx::query("SELECT pg_advisory_xact_lock(CAST($1 AS INTEGER), CAST($2 AS INTEGER))")
        .bind(CAP_LOCK)
        .bind(customer % i64::from(i32::MAX))
        .execute(&mut *tx)
        .await?;
    let decision = decide(&mut tx, &row, now).await?;
    let outcome = deliver_decided(transport, &row, decision).await;
    settle(&mut tx, row.0, row.7, outcome, config, now, pass).await?;
    tx.commit().await?;
    Ok(())
}

/// A claimed row decided, delivered and settled; connections are taken per step and not held while a
/// mail server answers (the in-memory SQLite database has a single one, which requests need too).
async fn deliver_one(
    db: &Db,
    transport: &Transport,
    config: &SenderConfig,
    now: OffsetDateTime,
    row: &ClaimedRow,
    pass: &mut Pass,
) -> Result<(), AppError> {
    let decision = decide(&mut *db.acquire().await?, row, now).await?;
    let outcome = deliver_decided(transport, row, decision).await;
    settle(
        &mut *db.acquire().await?,
        row.0,
        row.7,
        outcome,
        config,
        now,
        pass,
    )
    .await
}

/// The send-time decision for a claimed row.
async fn decide(
    conn: &mut Conn,
    row: &ClaimedRow,
    now: OffsetDateTime,
) -> Result<Decision, AppError> {
    Ok(match (Kind::parse(&row.1), row.3) {
        (None, _) => Decision::Drop("unknown_kind"),
        (Some(Kind::Transactional), _) => Decision::Send,
        (Some(_), None) => Decision::Drop("no_customer"),
        (Some(kind), Some(customer)) => decide_for(conn, kind, customer, now).await?,
    })
}

/// What became of a claimed row under `decision`: delivered when it may go.
async fn deliver_decided(transport: &Transport, row: &ClaimedRow, decision: Decision) -> Outcome {
    match decision {
        Decision::Send => {
            let message = Outgoing {
                id: row.0,
                channel: row.2.clone(),
                recipient: row.4.clone(),
                subject: row.5.clone(),
                body: row.6.clone(),
            };
            match transport.deliver(&message).await {
                Ok(()) => Outcome::Sent,
                Err(Delivery::Undeliverable(reason)) => Outcome::Dropped(reason),
                Err(Delivery::Retry(error)) => Outcome::Failed(error),
            }
        }
        Decision::Wait(at) => Outcome::Wait(at),
        Decision::Drop(reason) => Outcome::Dropped(reason),
    }
}

enum Outcome {
    Sent,
    Wait(OffsetDateTime),
    Dropped(&'static str),
    Failed(String),
}

/// Records what became of a claimed row.
async fn settle(
    conn: &mut Conn,
    id: i64,
    attempts: i64,
    outcome: Outcome,
    config: &SenderConfig,
    now: OffsetDateTime,
    pass: &mut Pass,
) -> Result<(), AppError> {
    // Delivery took time: the clock has moved on from the pass's `now` (which tests set ahead).
    let now = now.max(OffsetDateTime::now_utc());
    let query = match outcome {
        Outcome::Sent => {
            pass.sent += 1;
            sqlx::query(
                "UPDATE outbox_messages SET state = 'sent', sent_at = $2, attempts = attempts + 1
                 WHERE id = $1",
            )
            .bind(id)
            .bind(rfc3339(now))
        }
        Outcome::Wait(at) => {
            pass.waiting += 1;
            sqlx::query("UPDATE outbox_messages SET next_attempt_at = $2 WHERE id = $1")
                .bind(id)
                .bind(rfc3339(at))
        }
        Outcome::Dropped(reason) => {
            pass.dropped += 1;
            tracing::info!(message = id, reason, "outgoing message dropped");
            sqlx::query(
                "UPDATE outbox_messages SET state = 'dropped', drop_reason = $2 WHERE id = $1",
            )
            .bind(id)
            .bind(reason)
        }
        Outcome::Failed(error) => {
            let attempts = attempts + 1;
            let state = if attempts >= config.max_attempts {
                pass.failed += 1;
                tracing::error!(message = id, attempts, %error, "outgoing message given up");
                "failed"
            } else {
                pass.retried += 1;
                tracing::warn!(message = id, attempts, %error, "mail server failed; will retry");
                "pending"
            };
            let delay = time::Duration::try_from(backoff(config.retry, attempts))
                .unwrap_or(time::Duration::HOUR);
            sqlx::query(
                "UPDATE outbox_messages SET attempts = $2, state = $3, next_attempt_at = $4,
                        last_error = $5
                 WHERE id = $1",
            )
            .bind(id)
            .bind(attempts)
            .bind(state)
            .bind(rfc3339(now + delay))
            .bind(error.chars().take(500).collect::<String>())
        }
    };
    query.execute(&mut *conn).await?;
    Ok(())
}

/// The send-time decision for a message under a customer's rules.
async fn decide_for(
    conn: &mut Conn,
    kind: Kind,
    customer_id: i64,
    now: OffsetDateTime,
) -> Result<Decision, AppError> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_optional(&mut *conn)
        .await?;
    if exists.is_none() {
        return Ok(Decision::Drop("no_customer"));
    }
    let (prefs, _) = preferences::load_state(conn, customer_id).await?;
    let sent_since = |days: i64| rfc3339(now - time::Duration::days(days));
    let (week, month): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN sent_at > $3 THEN 1 ELSE 0 END), 0), COUNT(*)
         FROM outbox_messages
         WHERE customer_id = $1 AND kind = $2 AND state = 'sent' AND sent_at > $4",
    )
    .bind(customer_id)
    .bind(kind.as_text())
    .bind(sent_since(7))
    .bind(sent_since(30))
    .fetch_one(&mut *conn)
    .await?;
    let sent = SentRecently {
        week: u32::try_from(week).unwrap_or(u32::MAX),
        month: u32::try_from(month).unwrap_or(u32::MAX),
    };
    Ok(send_rules::decide(kind, &prefs, sent, now))
}

/// Runs the sender of this instance until the process ends: a pass when woken by [`enqueue`] or every
/// `config.poll`, repeated while passes come back full.
pub fn spawn_sender(db: Db, transport: Transport, config: SenderConfig) {
    tokio::spawn(async move {
        loop {
            loop {
                match deliver_due(&db, &transport, &config, config.now()).await {
                    Ok((_, claimed)) if claimed as i64 == config.batch => continue,
                    Ok(_) => break,
                    Err(e) => {
                        tracing::error!("outbox sender: {}", e.message);
                        break;
                    }
                }
            }
            if tokio::time::timeout(config.poll, WAKE.notified())
                .await
                .is_ok()
            {
                // Woken by `enqueue`, whose transaction has not committed yet: give it a moment.
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_an_hour() {
        let retry = Duration::from_secs(30);
        let delays: Vec<u64> = (1..=9).map(|n| backoff(retry, n).as_secs()).collect();
        assert_eq!(delays, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(backoff(retry, 0).as_secs(), 30);
        assert_eq!(backoff(retry, i64::MAX).as_secs(), 3600);
    }

    #[test]
    fn sender_settings_come_from_the_environment() {
        let vars = |name: &str| match name {
            "RAPPORT_SMTP_URL" => Some("smtp://127.0.0.1:2525".to_owned()),
            "RAPPORT_OUTBOX_RETRY_S" => Some("2".to_owned()),
            _ => None,
        };
        let config = SenderConfig::from_env(vars).unwrap();
        assert_eq!(config.smtp_url.as_deref(), Some("smtp://127.0.0.1:2525"));
        assert_eq!(config.retry, Duration::from_secs(2));
        assert_eq!(config.poll, Duration::from_secs(1));
        assert!(
            SenderConfig::from_env(|n| (n == "RAPPORT_OUTBOX_POLL_MS").then(|| "0".into()))
                .is_err()
        );
        let transport = Transport::from_config(&config, stdout_letterbox()).unwrap();
        assert!(matches!(transport, Transport::Smtp { .. }));
        assert_eq!(config.test_clock_file, None);
    }

    #[test]
    fn the_test_clock_moves_the_senders_time_by_its_seconds() {
        let file = std::env::temp_dir().join(format!("rapport-clock-{}", std::process::id()));
        let path = file.to_string_lossy().into_owned();
        let config =
            SenderConfig::from_env(|n| (n == "RAPPORT_TEST_CLOCK_FILE").then(|| path.clone()))
                .unwrap();
        let near = |at: OffsetDateTime, ahead: i64| {
            let off = at - OffsetDateTime::now_utc() - time::Duration::seconds(ahead);
            off.abs() < time::Duration::seconds(5)
        };
        // No file yet: the real time.
        assert!(near(config.now(), 0));
        std::fs::write(&file, "600\n").unwrap();
        assert!(near(config.now(), 600));
        std::fs::write(&file, "-30").unwrap();
        assert!(near(config.now(), -30));
        std::fs::write(&file, "soon").unwrap();
        assert!(near(config.now(), 0));
        std::fs::remove_file(&file).unwrap();
    }

    #[test]
    fn smtp_urls_name_a_host_and_port() {
        assert_eq!(
            smtp_address("smtp://127.0.0.1:2525"),
            Ok(("127.0.0.1".into(), 2525))
        );
        assert_eq!(
            smtp_address("smtp://mail.example/"),
            Ok(("mail.example".into(), 25))
        );
        assert_eq!(smtp_address("smtp://[::1]:25"), Ok(("::1".into(), 25)));
        for bad in [
            "smtps://h:465",
            "smtp://",
            "smtp://h:0",
            "smtp://u:p@h:25",
            "h:25",
            "smtp://h:x",
        ] {
            assert!(smtp_address(bad).is_err(), "{bad}");
        }
    }
}
