//! Sign-in throttling that holds under concurrency.
//!
//! An attempt is *reserved* (counted as a failure) before its password is checked, in one step under one
//! lock, so a burst of parallel guesses cannot all pass the check before any failure is recorded. A
//! success gives its reservation back. The policy (also in the README):
//! - per client address and account: 5 failures per 15 minutes, then that address gets 429 for that
//!   account (a customer elsewhere is not affected);
//! - per client address: 50 failures per 15 minutes over all accounts (password spraying);
//! - per account, from all addresses together: 10 failures per 15 minutes are free; each failure after
//!   that makes the next attempt wait twice as long (1 s, 2 s, … at most 60 s). Addresses the customer
//!   signed in from during the last 30 days skip this delay, so an attacker elsewhere can slow a named
//!   customer down at a new address but never lock them out at their usual one.
//!
//! IPv6 clients are counted per /64, the block one subscriber usually holds.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

#[derive(Clone, Copy, Debug)]
struct Count {
    n: u32,
    since: Instant,
}

impl Count {
    fn current(&mut self, now: Instant, window: Duration) -> u32 {
        if now.saturating_duration_since(self.since) >= window {
            *self = Count { n: 0, since: now };
        }
        self.n
    }
}

#[derive(Debug)]
struct Account {
    failures: Count,
    next_allowed: Instant,
}

#[derive(Debug, Default)]
struct Tables {
    pairs: HashMap<(String, String), Count>,
    addresses: HashMap<String, Count>,
    accounts: HashMap<String, Account>,
    /// (address, account) pairs that signed in successfully, and when.
    known: HashMap<(String, String), Instant>,
}

/// The sign-in throttle; one per server.
#[derive(Debug, Default)]
pub struct SignInThrottle {
    policy: Policy,
    tables: Mutex<Tables>,
}

/// A reserved attempt: counted as a failure unless [`SignInThrottle::succeeded`] or
/// [`SignInThrottle::refund`] is called with it.
#[derive(Debug)]
pub struct Ticket {
    address: String,
    account: String,
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

const MAX_ENTRIES: usize = 100_000;

impl SignInThrottle {
    pub fn new(policy: Policy) -> Self {
        Self {
            policy,
            tables: Mutex::default(),
        }
    }

    /// Reserves an attempt at `account` from `ip`, or says how many seconds to wait.
    pub fn reserve(&self, ip: Option<IpAddr>, account: &str, now: Instant) -> Result<Ticket, u64> {
        let p = &self.policy;
        let address = address_key(ip);
        let pair_key = (address.clone(), account.to_owned());
        let mut t = self.tables.lock().unwrap_or_else(|e| e.into_inner());
        t.prune(now, p);
        let fresh = Count { n: 0, since: now };
        let wait = |c: &Count| {
            secs(
                p.window
                    .saturating_sub(now.saturating_duration_since(c.since)),
            )
        };
        let mut pair = t.pairs.get(&pair_key).copied().unwrap_or(fresh);
        if pair.current(now, p.window) >= p.per_pair {
            return Err(wait(&pair));
        }
        let mut by_address = t.addresses.get(&address).copied().unwrap_or(fresh);
        if by_address.current(now, p.window) >= p.per_address {
            return Err(wait(&by_address));
        }
        let known = t
            .known
            .get(&pair_key)
            .is_some_and(|at| now.saturating_duration_since(*at) < p.known_address_ttl);
        let account_state = t.accounts.entry(account.to_owned()).or_insert(Account {
            failures: fresh,
            next_allowed: now,
        });
        let failures = account_state.failures.current(now, p.window);
        if !known && now < account_state.next_allowed {
            return Err(secs(account_state.next_allowed - now));
        }
        account_state.failures.n += 1;
        if failures >= p.account_free {
            let doublings = (failures - p.account_free).min(16);
            let delay = Duration::from_secs(1u64 << doublings).min(p.account_max_delay);
            account_state.next_allowed = account_state.next_allowed.max(now + delay);
        }
        pair.n += 1;
        by_address.n += 1;
        t.pairs.insert(pair_key, pair);
        t.addresses.insert(address.clone(), by_address);
        Ok(Ticket {
            address,
            account: account.to_owned(),
        })
    }

    /// The password was right: the attempt no longer counts, the pair's failures are forgotten and the
    /// address becomes one of the account's known addresses.
    pub fn succeeded(&self, ticket: Ticket, now: Instant) {
        let mut t = self.tables.lock().unwrap_or_else(|e| e.into_inner());
        t.give_back(&ticket);
        let pair_key = (ticket.address, ticket.account);
        t.pairs.remove(&pair_key);
        t.known.insert(pair_key, now);
    }

    /// No password was checked (the queue was full): the attempt does not count.
    pub fn refund(&self, ticket: Ticket) {
        let mut t = self.tables.lock().unwrap_or_else(|e| e.into_inner());
        t.give_back(&ticket);
        if let Some(pair) = t
            .pairs
            .get_mut(&(ticket.address.clone(), ticket.account.clone()))
        {
            pair.n = pair.n.saturating_sub(1);
        }
    }
}

impl Tables {
    fn give_back(&mut self, ticket: &Ticket) {
        if let Some(count) = self.addresses.get_mut(&ticket.address) {
            count.n = count.n.saturating_sub(1);
        }
        if let Some(account) = self.accounts.get_mut(&ticket.account) {
            account.failures.n = account.failures.n.saturating_sub(1);
        }
    }

    /// Bounds memory under a flood of distinct keys: entries whose window has passed are dropped.
    fn prune(&mut self, now: Instant, p: &Policy) {
        let total =
            self.pairs.len() + self.addresses.len() + self.accounts.len() + self.known.len();
        if total < MAX_ENTRIES {
            return;
        }
        let live = |c: &Count| now.saturating_duration_since(c.since) < p.window;
        self.pairs.retain(|_, c| live(c));
        self.addresses.retain(|_, c| live(c));
        self.accounts
            .retain(|_, a| live(&a.failures) || a.next_allowed > now);
        self.known
            .retain(|_, at| now.saturating_duration_since(*at) < p.known_address_ttl);
        // Still too many known addresses: forget the oldest half rather than grow without bound.
        if self.known.len() > MAX_ENTRIES / 2 {
            let mut times: Vec<Instant> = self.known.values().copied().collect();
            times.sort_unstable();
            let cut = times[times.len() / 2];
            self.known.retain(|_, at| *at > cut);
        }
    }
}

fn secs(d: Duration) -> u64 {
    d.as_secs_f64().ceil().max(1.0) as u64
}

/// A token bucket per key: `per_minute` requests a minute on average, and as many at once after a quiet
/// minute. Used for anonymous survey answers per client address.
#[derive(Debug)]
pub struct RateLimit {
    per_minute: u32,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimit {
    pub fn per_minute(per_minute: u32) -> Self {
        Self {
            per_minute: per_minute.max(1),
            buckets: Mutex::default(),
        }
    }

    /// Takes one request's token, or says how many seconds until the next one.
    pub fn take(&self, key: &str, now: Instant) -> Result<(), u64> {
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= MAX_ENTRIES {
            // Full buckets hold no information: forget them.
            buckets.retain(|_, (tokens, last)| {
                *tokens + now.saturating_duration_since(*last).as_secs_f64() * per_second < capacity
            });
        }
        let (tokens, last) = buckets.entry(key.to_owned()).or_insert((capacity, now));
        let refilled = *tokens + now.saturating_duration_since(*last).as_secs_f64() * per_second;
        *tokens = refilled.min(capacity);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / per_second).ceil().max(1.0) as u64)
        }
    }
}

/// Confirmation messages: at most `per_address` to one address a day and `per_customer` for one
/// customer an hour, so that a signed-in account cannot be used to bomb a mailbox or phone.
#[derive(Debug)]
pub struct MessageLimits {
    per_address: usize,
    per_customer: usize,
    sent: Mutex<(SendLog<String>, SendLog<i64>)>,
}

/// When messages went out, oldest first, per key.
type SendLog<K> = HashMap<K, Vec<Instant>>;

/// A reserved message: give it back with [`MessageLimits::refund`] if nothing was sent after all.
#[derive(Debug)]
pub struct MessageSlot {
    address: String,
    customer: i64,
    at: Instant,
}

const DAY: Duration = Duration::from_secs(24 * 3600);
const HOUR: Duration = Duration::from_secs(3600);

impl Default for MessageLimits {
    fn default() -> Self {
        Self {
            per_address: 3,
            per_customer: 10,
            sent: Mutex::default(),
        }
    }
}

impl MessageLimits {
    /// Reserves one message to `address` (its canonical form) for `customer`, or says how many
    /// seconds until one may be sent.
    pub fn reserve(&self, address: &str, customer: i64, now: Instant) -> Result<MessageSlot, u64> {
        let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
        let (by_address, by_customer) = &mut *sent;
        if by_address.len() + by_customer.len() >= MAX_ENTRIES {
            by_address.retain(|_, times| {
                times
                    .iter()
                    .any(|t| now.saturating_duration_since(*t) < DAY)
            });
            by_customer.retain(|_, times| {
                times
                    .iter()
                    .any(|t| now.saturating_duration_since(*t) < HOUR)
            });
        }
        let to_address = by_address.entry(address.to_owned()).or_default();
        to_address.retain(|t| now.saturating_duration_since(*t) < DAY);
        let for_customer = by_customer.entry(customer).or_default();
        for_customer.retain(|t| now.saturating_duration_since(*t) < HOUR);
        // Both logs are oldest first: the oldest message decides when a slot frees up.
        let wait = |times: &[Instant], window: Duration| {
            secs(window.saturating_sub(now.saturating_duration_since(times[0])))
        };
        if to_address.len() >= self.per_address {
            return Err(wait(to_address, DAY));
        }
        if for_customer.len() >= self.per_customer {
            return Err(wait(for_customer, HOUR));
        }
        to_address.push(now);
        for_customer.push(now);
        Ok(MessageSlot {
            address: address.to_owned(),
            customer,
            at: now,
        })
    }

    pub fn refund(&self, slot: MessageSlot) {
        let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
        let (by_address, by_customer) = &mut *sent;
        let remove_one = |times: &mut Vec<Instant>| {
            if let Some(i) = times.iter().position(|t| *t == slot.at) {
                times.remove(i);
            }
        };
        if let Some(times) = by_address.get_mut(&slot.address) {
            remove_one(times);
        }
        if let Some(times) = by_customer.get_mut(&slot.customer) {
            remove_one(times);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn ip(last: u8) -> Option<IpAddr> {
        Some(IpAddr::V4(Ipv4Addr::new(203, 0, 113, last)))
    }

    #[test]
    fn a_pair_is_locked_after_five_reservations_even_before_any_password_is_checked() {
        let throttle = SignInThrottle::default();
        let t0 = Instant::now();
        let tickets: Vec<_> = (0..5)
            .map(|_| throttle.reserve(ip(1), "a@x", t0).unwrap())
            .collect();
        assert_eq!(throttle.reserve(ip(1), "a@x", t0).unwrap_err(), 900);
        assert!(
            throttle.reserve(ip(2), "a@x", t0).is_ok(),
            "another address"
        );
        assert!(
            throttle.reserve(ip(1), "b@x", t0).is_ok(),
            "another account"
        );
        drop(tickets);
        let later = t0 + Duration::from_secs(901);
        assert!(throttle.reserve(ip(1), "a@x", later).is_ok());
    }

    #[test]
    fn refunds_and_successes_give_the_attempt_back() {
        let throttle = SignInThrottle::default();
        let t0 = Instant::now();
        for _ in 0..20 {
            let ticket = throttle.reserve(ip(1), "a@x", t0).unwrap();
            throttle.refund(ticket);
        }
        for _ in 0..4 {
            throttle.reserve(ip(1), "a@x", t0).unwrap();
        }
        let ticket = throttle.reserve(ip(1), "a@x", t0).unwrap();
        throttle.succeeded(ticket, t0);
        assert!(throttle.reserve(ip(1), "a@x", t0).is_ok(), "pair cleared");
    }

    #[test]
    fn many_addresses_slow_an_account_down_but_never_its_known_address() {
        let throttle = SignInThrottle::default();
        let t0 = Instant::now();
        let home = throttle.reserve(ip(200), "a@x", t0).unwrap();
        throttle.succeeded(home, t0);
        for attacker in 1..=2 {
            for _ in 0..5 {
                throttle.reserve(ip(attacker), "a@x", t0).unwrap();
            }
        }
        // The 11th failure overall starts the delay.
        throttle.reserve(ip(3), "a@x", t0).unwrap();
        let wait = throttle.reserve(ip(4), "a@x", t0).unwrap_err();
        assert_eq!(wait, 1);
        assert!(
            throttle.reserve(ip(200), "a@x", t0).is_ok(),
            "known address"
        );
        // The delay doubles with each further failure and stops at the maximum.
        let mut now = t0;
        let mut waits = Vec::new();
        for attacker in 10..20 {
            now += Duration::from_secs(61);
            throttle.reserve(ip(attacker), "a@x", now).unwrap();
            waits.push(throttle.reserve(ip(99), "a@x", now).unwrap_err());
        }
        assert!(waits.iter().all(|w| *w <= 60), "{waits:?}");
        assert_eq!(waits.last(), Some(&60));
    }

    #[test]
    fn the_rate_limit_allows_a_burst_then_the_average() {
        let limit = RateLimit::per_minute(30);
        let t0 = Instant::now();
        assert!((0..30).all(|_| limit.take("a", t0).is_ok()));
        assert_eq!(limit.take("a", t0), Err(2));
        assert!(limit.take("b", t0).is_ok(), "another key");
        // Two seconds bring one more token, and only one.
        let t2 = t0 + Duration::from_secs(2);
        assert!(limit.take("a", t2).is_ok());
        assert!(limit.take("a", t2).is_err());
        // A minute of flooding at 10 a second stores about 30 more.
        let stored = (0..600)
            .filter(|i| {
                let at = t2 + Duration::from_millis(100 * i);
                limit.take("a", at).is_ok()
            })
            .count();
        assert!((29..=31).contains(&stored), "{stored}");
    }

    #[test]
    fn confirmation_messages_per_address_a_day_and_per_customer_an_hour() {
        let limits = MessageLimits::default();
        let t0 = Instant::now();
        for _ in 0..3 {
            limits.reserve("a@x", 1, t0).unwrap();
        }
        assert_eq!(
            limits.reserve("a@x", 2, t0).unwrap_err(),
            24 * 3600,
            "any customer"
        );
        let slot = limits.reserve("b@x", 1, t0).unwrap();
        limits.refund(slot);
        for n in 0..7 {
            limits.reserve(&format!("c{n}@x"), 1, t0).unwrap();
        }
        assert_eq!(limits.reserve("d@x", 1, t0).unwrap_err(), 3600);
        let later = t0 + Duration::from_secs(3601);
        assert!(limits.reserve("d@x", 1, later).is_ok());
        assert!(
            limits.reserve("a@x", 1, later).is_err(),
            "still the same day"
        );
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
