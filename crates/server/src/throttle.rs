//! The rate limits, counted in the database (see `limits`) so that they hold across server instances
//! and under concurrency.
//!
//! Sign-in: an attempt is *reserved* (counted as a failure) before its password is checked, in one
//! transaction that holds the counters' row locks, so a burst of parallel guesses, through one instance
//! or several, cannot all pass the check before any failure is recorded. A success gives its reservation
//! back. The policy (also in the README):
//! - per client address and account: 5 failures per 15 minutes, then that address gets 429 for that
//!   account (a customer elsewhere is not affected);
//! - per client address: 50 failures per 15 minutes over all accounts (password spraying);
//! - per account, from all addresses together: 10 failures per 15 minutes are free; each failure after
//!   that makes the next attempt wait twice as long (1 s, 2 s, … at most 60 s). Addresses the customer
//!   signed in from during the last 30 days skip this delay, so an attacker elsewhere can slow a named
//!   customer down at a new address but never lock them out at their usual one.
//!
//! IPv6 clients are counted per /64, the block one subscriber usually holds. The decisions are pure
//! functions of the counters and the time, tested natively; the database only holds and locks them.

use crate::db::Db;
use crate::limits::{self, Counter};
use std::net::IpAddr;
use std::time::Duration;

/// The numbers of the policy described in the module documentation.
#[derive(Clone, Debug)]
pub struct Policy {
    pub window: Duration,
    pub per_pair: u32,
    pub per_address: u32,
    pub account_free: u32,
    pub account_max_delay: Duration,
    pub known_address_ttl: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(15 * 60),
            per_pair: 5,
            per_address: 50,
            account_free: 10,
            account_max_delay: Duration::from_secs(60),
            known_address_ttl: Duration::from_secs(30 * 24 * 3600),
        }
    }
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Whole seconds (at least 1) for a wait of `ms` milliseconds, as `Retry-After` says it.
fn secs(ms: i64) -> u64 {
    u64::try_from(ms.max(1)).unwrap_or(1).div_ceil(1000)
}

/// A fixed window: the count of a window that has passed starts again at `now`.
fn current(c: &mut Counter, now: i64, window: i64) -> i64 {
    if now.saturating_sub(c.since_ms) >= window {
        *c = Counter {
            n: 0,
            since_ms: now,
            until_ms: c.until_ms,
        };
    }
    c.n
}

/// Milliseconds until the window of `c` ends.
fn rest_of(c: &Counter, now: i64, window: i64) -> i64 {
    window - now.saturating_sub(c.since_ms)
}

fn give_back(c: &mut Counter) {
    c.n = (c.n - 1).max(0);
}

/// Counts one event in a fixed window of `limit` events, or says how many seconds to wait.
pub fn take_window(c: &mut Counter, limit: u32, window: Duration, now: i64) -> Result<(), u64> {
    let window = ms(window);
    if current(c, now, window) >= i64::from(limit) {
        return Err(secs(rest_of(c, now, window)));
    }
    c.n += 1;
    Ok(())
}

/// The sign-in decision over the counters `[account, pair, address]` (`until_ms` of the account: when
/// its next attempt is allowed). `known`: the address signed in to this account lately.
pub fn reserve_in(p: &Policy, known: bool, counters: &mut [Counter], now: i64) -> Result<(), u64> {
    let [account, pair, address] = counters else {
        return Err(1);
    };
    let window = ms(p.window);
    if current(pair, now, window) >= i64::from(p.per_pair) {
        return Err(secs(rest_of(pair, now, window)));
    }
    if current(address, now, window) >= i64::from(p.per_address) {
        return Err(secs(rest_of(address, now, window)));
    }
    let failures = current(account, now, window);
    if !known && now < account.until_ms {
        return Err(secs(account.until_ms - now));
    }
    account.n += 1;
    if failures >= i64::from(p.account_free) {
        let doublings = (failures - i64::from(p.account_free)).min(16);
        let delay = (1000_i64 << doublings).min(ms(p.account_max_delay));
        account.until_ms = account.until_ms.max(now + delay);
    }
    pair.n += 1;
    address.n += 1;
    Ok(())
}

/// A reserved attempt: counted as a failure unless [`SignInThrottle::succeeded`] or
/// [`SignInThrottle::refund`] is called with it.
#[derive(Debug)]
pub struct Ticket {
    address: String,
    account: String,
}

impl Ticket {
    /// The counters' keys in locking order: account, pair, address.
    fn keys(&self) -> [String; 3] {
        keys(&self.address, &self.account)
    }
}

fn keys(address: &str, account: &str) -> [String; 3] {
    [
        format!("sign-in:account:{account}"),
        format!("sign-in:pair:{address}|{account}"),
        format!("sign-in:address:{address}"),
    ]
}

/// The key of a client address: IPv4 as is, IPv6 by its /64 block.
pub fn address_key(ip: Option<IpAddr>) -> String {
    match ip.map(|ip| ip.to_canonical()) {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        None => "unknown".to_owned(),
    }
}

/// The sign-in throttle: the policy; the counts are in the database.
#[derive(Debug, Default)]
pub struct SignInThrottle {
    policy: Policy,
}

impl SignInThrottle {
    pub fn new(policy: Policy) -> Self {
        Self { policy }
    }

    /// How long a counter row matters after a change.
    fn keep(&self) -> Duration {
        self.policy.window.max(self.policy.account_max_delay)
    }

    /// Reserves an attempt at `account` from `ip`, or says how many seconds to wait.
    pub async fn reserve(
        &self,
        db: &Db,
        ip: Option<IpAddr>,
        account: &str,
        now: i64,
    ) -> Result<Result<Ticket, u64>, sqlx::Error> {
        let ticket = Ticket {
            address: address_key(ip),
            account: account.to_owned(),
        };
        // A read outside the lock is enough: it only lets the customer's own address skip the delay.
        let known: Option<i64> = sqlx::query_scalar(
            "SELECT at_ms FROM sign_in_known WHERE address = $1 AND account = $2",
        )
        .bind(&ticket.address)
        .bind(account)
        .fetch_optional(db)
        .await?;
        let known = known.is_some_and(|at| now - at < ms(self.policy.known_address_ttl));
        let keys = ticket.keys();
        let keys = [keys[0].as_str(), keys[1].as_str(), keys[2].as_str()];
        let decision = limits::update(db, &keys, now, self.keep(), |counters| {
            reserve_in(&self.policy, known, counters, now)
        })
        .await?;
        Ok(decision.map(|()| ticket))
    }

    /// The password was right: the attempt no longer counts, the pair's failures are forgotten and the
    /// address becomes one of the account's known addresses.
    pub async fn succeeded(&self, db: &Db, ticket: Ticket, now: i64) -> Result<(), sqlx::Error> {
        let keys = ticket.keys();
        let keys = [keys[0].as_str(), keys[1].as_str(), keys[2].as_str()];
        limits::update(db, &keys, now, self.keep(), |c| {
            give_back(&mut c[0]);
            c[1] = Counter::default();
            give_back(&mut c[2]);
        })
        .await?;
        sqlx::query(
            "INSERT INTO sign_in_known (address, account, at_ms) VALUES ($1, $2, $3)
             ON CONFLICT (address, account) DO UPDATE SET at_ms = EXCLUDED.at_ms",
        )
        .bind(&ticket.address)
        .bind(&ticket.account)
        .bind(now)
        .execute(db)
        .await?;
        Ok(())
    }

    /// No password was checked (the queue was full, or the database failed): the attempt does not
    /// count.
    pub async fn refund(&self, db: &Db, ticket: Ticket, now: i64) {
        let keys = ticket.keys();
        let keys = [keys[0].as_str(), keys[1].as_str(), keys[2].as_str()];
        let given = limits::update(db, &keys, now, self.keep(), |c| {
            c.iter_mut().for_each(give_back)
        });
        if let Err(error) = given.await {
            tracing::error!(%error, "cannot give back a sign-in attempt");
        }
    }

    /// Removes known addresses older than the policy keeps them.
    pub async fn prune(&self, db: &Db, now: i64) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("DELETE FROM sign_in_known WHERE at_ms < $1")
            .bind(now - ms(self.policy.known_address_ttl))
            .execute(db)
            .await?;
        Ok(done.rows_affected())
    }
}

/// Removes, every ten minutes for the life of the process, counters and known addresses that no
/// longer matter. Any number of instances may run it: a delete of rows nobody needs is harmless twice.
pub fn spawn_pruner(db: Db) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(Duration::from_secs(10 * 60));
        loop {
            ticks.tick().await;
            let now = crate::clock::now_ms();
            let pruned = async {
                limits::prune(&db, now).await?;
                SignInThrottle::default().prune(&db, now).await
            };
            if let Err(error) = pruned.await {
                tracing::error!(%error, "cannot remove old rate-limit counters");
            }
        }
    });
}

/// Millionths of a token, so that a bucket fits the counters' integers.
const TOKEN: i64 = 1_000_000;
/// Most anonymous answers a minute a configuration may allow (keeps the bucket arithmetic in range).
const MAX_PER_MINUTE: u32 = 1_000_000;

/// The bucket's tokens after the time since its last refill (at most a minute counts: by then it is
/// full), in SQL. `$2` capacity, `$3` now, `$4` refill per minute, all in millionths of a token.
const REFILLED: &str = "(CASE WHEN limit_counters.n + (CASE
        WHEN $3 - limit_counters.since_ms > 60000 THEN 60000
        WHEN $3 > limit_counters.since_ms THEN $3 - limit_counters.since_ms
        ELSE 0 END) * $4 / 60000 > $2
    THEN $2
    ELSE limit_counters.n + (CASE
        WHEN $3 - limit_counters.since_ms > 60000 THEN 60000
        WHEN $3 > limit_counters.since_ms THEN $3 - limit_counters.since_ms
        ELSE 0 END) * $4 / 60000 END)";

/// Anonymous survey answers per client address: a token bucket of `per_minute` tokens, refilled at
/// `per_minute` a minute (a burst of that many after a quiet minute, then that rate).
///
/// The hottest limit (a flood hits it with every request), so it is one statement: the upsert refills
/// and takes a token under the row lock and says whether it could (`until_ms` 1 or 0), and the lock is
/// held for that statement only, not for a transaction's round trips.
///
/// A refusal is also remembered here until the next token is due: tokens only come back with time
/// and other instances only take them, so until then the answer is certainly "no", and a flood is
/// turned away without a database round trip.
#[derive(Debug)]
pub struct RateLimit {
    per_minute: u32,
    /// Key → time (ms) before which the bucket is known to be empty.
    empty_until: std::sync::Mutex<std::collections::HashMap<String, i64>>,
}

/// Most keys remembered as empty; beyond that the memory starts again (it is only a shortcut).
const MAX_REMEMBERED: usize = 100_000;

impl RateLimit {
    pub fn per_minute(per_minute: u32) -> Self {
        Self {
            per_minute: per_minute.clamp(1, MAX_PER_MINUTE),
            empty_until: std::sync::Mutex::default(),
        }
    }

    /// Takes one request's token for `key`, or says how many seconds until the next one.
    pub async fn take(&self, db: &Db, key: &str, now: i64) -> Result<Result<(), u64>, sqlx::Error> {
        let known_empty = self
            .empty_until
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .copied()
            .filter(|until| *until > now);
        if let Some(until) = known_empty {
            return Ok(Err(secs(until - now)));
        }
        let capacity = i64::from(self.per_minute) * TOKEN;
        // The refill never dates back: a request that read the clock before waiting for the row lock
        // must not earn the time in between twice.
        let sql = format!(
            "INSERT INTO limit_counters (key, n, since_ms, until_ms, expires_ms)
             VALUES ($1, $2 - $5, $3, 1, $3 + 60000)
             ON CONFLICT (key) DO UPDATE SET
                 n = CASE WHEN {REFILLED} >= $5 THEN {REFILLED} - $5 ELSE {REFILLED} END,
                 until_ms = CASE WHEN {REFILLED} >= $5 THEN 1 ELSE 0 END,
                 since_ms = CASE WHEN $3 > limit_counters.since_ms
                     THEN $3 ELSE limit_counters.since_ms END,
                 expires_ms = $3 + 60000
             RETURNING n, until_ms"
        );
        let (tokens, taken): (i64, i64) = sqlx::query_as(&sql)
            .bind(format!("survey:{key}"))
            .bind(capacity)
            .bind(now)
            .bind(capacity)
            .bind(TOKEN)
            .fetch_one(db)
            .await?;
        if taken == 1 {
            return Ok(Ok(()));
        }
        // Time until one whole token, rounded up.
        let per_minute = i64::from(self.per_minute) * TOKEN;
        let wait_ms = ((TOKEN - tokens).max(0) * 60_000 + per_minute - 1) / per_minute;
        let mut empty = self.empty_until.lock().unwrap_or_else(|e| e.into_inner());
        if empty.len() >= MAX_REMEMBERED {
            empty.clear();
        }
        empty.insert(key.to_owned(), now + wait_ms);
        tracing::warn!(
            client = key,
            retry_after_ms = wait_ms,
            "anonymous answers throttled"
        );
        Ok(Err(secs(wait_ms)))
    }
}

const DAY: Duration = Duration::from_secs(24 * 3600);
const HOUR: Duration = Duration::from_secs(3600);

/// Confirmation messages: at most `per_address` to one address a day and `per_customer` for one
/// customer an hour, so that a signed-in account cannot be used to bomb a mailbox or phone.
#[derive(Debug)]
pub struct MessageLimits {
    per_address: u32,
    per_customer: u32,
}

impl Default for MessageLimits {
    fn default() -> Self {
        Self {
            per_address: 3,
            per_customer: 10,
        }
    }
}

/// The decision over `[to the address, for the customer]`.
pub fn message_in(limits: &MessageLimits, c: &mut [Counter], now: i64) -> Result<(), u64> {
    let [to_address, for_customer] = c else {
        return Err(1);
    };
    let (mut address, mut customer) = (*to_address, *for_customer);
    take_window(&mut address, limits.per_address, DAY, now)?;
    take_window(&mut customer, limits.per_customer, HOUR, now)?;
    // Both or neither.
    (*to_address, *for_customer) = (address, customer);
    Ok(())
}

/// A reserved message: give it back with [`MessageLimits::refund`] if nothing was sent after all.
#[derive(Debug)]
pub struct MessageSlot {
    keys: [String; 2],
}

impl MessageLimits {
    /// Reserves one message to `address` (its canonical form) for `customer`, or says how many
    /// seconds until one may be sent.
    pub async fn reserve(
        &self,
        db: &Db,
        address: &str,
        customer: i64,
        now: i64,
    ) -> Result<Result<MessageSlot, u64>, sqlx::Error> {
        let keys = [
            format!("message:to:{address}"),
            format!("message:for:{customer}"),
        ];
        let decision = limits::update(db, &[&keys[0], &keys[1]], now, DAY, |c| {
            message_in(self, c, now)
        })
        .await?;
        Ok(decision.map(|()| MessageSlot { keys }))
    }

    pub async fn refund(&self, db: &Db, slot: MessageSlot, now: i64) {
        let keys = [slot.keys[0].as_str(), slot.keys[1].as_str()];
        let given = limits::update(db, &keys, now, DAY, |c| c.iter_mut().for_each(give_back));
        if let Err(error) = given.await {
            tracing::error!(%error, "cannot give back a confirmation message");
        }
    }
}

/// Wrong current passwords allowed per account in [`PASSWORD_WINDOW`].
pub const PASSWORD_ATTEMPTS: u32 = 5;
/// The window of [`PASSWORD_ATTEMPTS`], as long as a sign-in lockout.
pub const PASSWORD_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Wrong current passwords per account (password change), counted before the (slow) check so that
/// parallel attempts cannot all slip in before the first failure is recorded.
#[derive(Debug, Default)]
pub struct PasswordAttempts;

impl PasswordAttempts {
    fn key(customer_id: i64) -> String {
        format!("password:{customer_id}")
    }

    /// Takes one attempt, or says how many seconds to wait.
    pub async fn take(
        &self,
        db: &Db,
        customer_id: i64,
        now: i64,
    ) -> Result<Result<(), u64>, sqlx::Error> {
        let key = Self::key(customer_id);
        limits::update(db, &[key.as_str()], now, PASSWORD_WINDOW, |c| {
            take_window(&mut c[0], PASSWORD_ATTEMPTS, PASSWORD_WINDOW, now)
        })
        .await
    }

    /// An attempt that never reached the check (the queue was full) is given back.
    pub async fn refund(&self, db: &Db, customer_id: i64, now: i64) {
        let key = Self::key(customer_id);
        let keys = [key.as_str()];
        let given = limits::update(db, &keys, now, PASSWORD_WINDOW, |c| give_back(&mut c[0]));
        if let Err(error) = given.await {
            tracing::error!(%error, "cannot give back a password attempt");
        }
    }

    /// The right password was given: the account's count starts again.
    pub async fn clear(&self, db: &Db, customer_id: i64) -> Result<(), sqlx::Error> {
        limits::remove(db, &Self::key(customer_id)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::net::Ipv4Addr;

    fn ip(last: u8) -> Option<IpAddr> {
        Some(IpAddr::V4(Ipv4Addr::new(203, 0, 113, last)))
    }

    const T0: i64 = 1_700_000_000_000;

    /// The counters as the database would hold them, for the pure decisions.
    #[derive(Default)]
    struct Store {
        counters: HashMap<String, Counter>,
        known: HashMap<String, i64>,
    }

    impl Store {
        fn run<T>(&mut self, keys: &[String], f: impl FnOnce(&mut [Counter]) -> T) -> T {
            let mut c: Vec<Counter> = keys
                .iter()
                .map(|k| self.counters.get(k).copied().unwrap_or_default())
                .collect();
            let out = f(&mut c);
            for (k, c) in keys.iter().zip(c) {
                self.counters.insert(k.clone(), c);
            }
            out
        }

        fn reserve(&mut self, ip: Option<IpAddr>, account: &str, now: i64) -> Result<Ticket, u64> {
            let p = Policy::default();
            let ticket = Ticket {
                address: address_key(ip),
                account: account.to_owned(),
            };
            let known = self
                .known
                .get(&ticket.keys()[1])
                .is_some_and(|at| now - at < ms(p.known_address_ttl));
            self.run(&ticket.keys(), |c| reserve_in(&p, known, c, now))
                .map(|()| ticket)
        }

        fn succeeded(&mut self, ticket: Ticket, now: i64) {
            self.run(&ticket.keys(), |c| {
                give_back(&mut c[0]);
                c[1] = Counter::default();
                give_back(&mut c[2]);
            });
            self.known.insert(ticket.keys()[1].clone(), now);
        }

        fn refund(&mut self, ticket: Ticket) {
            self.run(&ticket.keys(), |c| c.iter_mut().for_each(give_back));
        }
    }

    #[test]
    fn a_pair_is_locked_after_five_reservations_even_before_any_password_is_checked() {
        let mut store = Store::default();
        for _ in 0..5 {
            store.reserve(ip(1), "a@x", T0).unwrap();
        }
        assert_eq!(store.reserve(ip(1), "a@x", T0).unwrap_err(), 900);
        assert!(store.reserve(ip(2), "a@x", T0).is_ok(), "another address");
        assert!(store.reserve(ip(1), "b@x", T0).is_ok(), "another account");
        assert!(store.reserve(ip(1), "a@x", T0 + 901_000).is_ok());
    }

    #[test]
    fn refunds_and_successes_give_the_attempt_back() {
        let mut store = Store::default();
        for _ in 0..20 {
            let ticket = store.reserve(ip(1), "a@x", T0).unwrap();
            store.refund(ticket);
        }
        for _ in 0..4 {
            store.reserve(ip(1), "a@x", T0).unwrap();
        }
        let ticket = store.reserve(ip(1), "a@x", T0).unwrap();
        store.succeeded(ticket, T0);
        assert!(store.reserve(ip(1), "a@x", T0).is_ok(), "pair cleared");
    }

    #[test]
    fn many_addresses_slow_an_account_down_but_never_its_known_address() {
        let mut store = Store::default();
        let home = store.reserve(ip(200), "a@x", T0).unwrap();
        store.succeeded(home, T0);
        for attacker in 1..=2 {
            for _ in 0..5 {
                store.reserve(ip(attacker), "a@x", T0).unwrap();
            }
        }
        // The 11th failure overall starts the delay.
        store.reserve(ip(3), "a@x", T0).unwrap();
        assert_eq!(store.reserve(ip(4), "a@x", T0).unwrap_err(), 1);
        assert!(store.reserve(ip(200), "a@x", T0).is_ok(), "known address");
        // The delay doubles with each further failure and stops at the maximum.
        let mut now = T0;
        let mut waits = Vec::new();
        for attacker in 10..20 {
            now += 61_000;
            store.reserve(ip(attacker), "a@x", now).unwrap();
            waits.push(store.reserve(ip(99), "a@x", now).unwrap_err());
        }
        assert!(waits.iter().all(|w| *w <= 60), "{waits:?}");
        assert_eq!(waits.last(), Some(&60));
    }

    #[tokio::test]
    async fn the_rate_limit_allows_a_burst_then_the_average() {
        let db = crate::db::open(":memory:").await.unwrap();
        let limit = RateLimit::per_minute(30);
        let take = |key: &'static str, at: i64| {
            let (db, limit) = (&db, &limit);
            async move { limit.take(db, key, at).await.unwrap() }
        };
        for _ in 0..30 {
            assert_eq!(take("a", T0).await, Ok(()));
        }
        assert_eq!(take("a", T0).await, Err(2));
        assert!(take("b", T0).await.is_ok(), "another key");
        // Two seconds bring one more token, and only one.
        let t2 = T0 + 2_000;
        assert!(take("a", t2).await.is_ok());
        assert!(take("a", t2).await.is_err());
        // A minute of flooding at 10 a second stores about 30 more.
        let mut stored = 0;
        for i in 0..600 {
            stored += usize::from(take("a", t2 + 100 * i).await.is_ok());
        }
        assert!((29..=31).contains(&stored), "{stored}");
        // A late request with an earlier clock reading earns nothing and does not date the refill
        // back: 4.5 tokens in 9 s, four taken, half a token left.
        let t9 = T0 + 9_000;
        while take("c", T0).await.is_ok() {}
        for _ in 0..4 {
            assert!(take("c", t9).await.is_ok());
        }
        assert!(take("c", T0).await.is_err());
        assert!(take("c", t9).await.is_err(), "no second refill");
        assert!(take("c", t9 + 1_000).await.is_ok());
        // After a quiet hour the bucket is full again, not fuller.
        let later = T0 + 3_600_000;
        for _ in 0..30 {
            assert!(take("a", later).await.is_ok());
        }
        assert!(take("a", later).await.is_err());
    }

    #[test]
    fn confirmation_messages_per_address_a_day_and_per_customer_an_hour() {
        let limits = MessageLimits::default();
        let mut store = Store::default();
        let mut send = |address: &str, customer: i64, now: i64| {
            let keys = [format!("to:{address}"), format!("for:{customer}")];
            store.run(&keys, |c| message_in(&limits, c, now))
        };
        for _ in 0..3 {
            send("a@x", 1, T0).unwrap();
        }
        assert_eq!(send("a@x", 2, T0).unwrap_err(), 24 * 3600, "any customer");
        for n in 0..7 {
            send(&format!("c{n}@x"), 1, T0).unwrap();
        }
        assert_eq!(send("d@x", 1, T0).unwrap_err(), 3600);
        let later = T0 + 3_601_000;
        assert!(send("d@x", 1, later).is_ok());
        assert!(send("a@x", 1, later).is_err(), "still the same day");
        // Refused by the customer's limit: the address's count is not taken either.
        for n in 0..9 {
            send(&format!("e{n}@x"), 3, T0).unwrap();
        }
        send("f@x", 3, T0).unwrap();
        assert!(send("g@x", 3, T0).is_err());
        assert!(send("g@x", 4, T0).is_ok());
        assert!(send("g@x", 4, T0).is_ok());
        assert!(
            send("g@x", 4, T0).is_ok(),
            "three to g@x, none counted for customer 3"
        );
    }

    #[test]
    fn password_attempts_are_a_window_of_five() {
        let mut attempts = Counter::default();
        for _ in 0..PASSWORD_ATTEMPTS {
            take_window(&mut attempts, PASSWORD_ATTEMPTS, PASSWORD_WINDOW, T0).unwrap();
        }
        assert_eq!(
            take_window(&mut attempts, PASSWORD_ATTEMPTS, PASSWORD_WINDOW, T0),
            Err(PASSWORD_WINDOW.as_secs())
        );
        give_back(&mut attempts);
        assert!(take_window(&mut attempts, PASSWORD_ATTEMPTS, PASSWORD_WINDOW, T0).is_ok());
        let later = T0 + ms(PASSWORD_WINDOW);
        assert!(take_window(&mut attempts, PASSWORD_ATTEMPTS, PASSWORD_WINDOW, later).is_ok());
    }

    #[test]
    fn ipv6_clients_count_per_64() {
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert_eq!(address_key(Some(a)), address_key(Some(b)));
        let mapped: IpAddr = "::ffff:203.0.113.1".parse().unwrap();
        assert_eq!(address_key(Some(mapped)), "203.0.113.1");
    }
}
