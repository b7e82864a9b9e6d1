//! The check of a customer's consent chain (pure: no database, no clock).
//!
//! Each record carries the hash of the same customer's previous record, and that link is part of its own
//! hashed text. Someone who rewrites a record in the database and recomputes its hash still breaks the
//! link of the record after it; removing a record does the same. Only rewriting every later record too
//! goes unnoticed here, which is why the newest hash (`head_sha256`) is worth keeping elsewhere, and why
//! every receipt a customer holds shows the link it was issued with.

use crate::ids::sha256_hex;
use crate::AppError;
use rapport_api::{BrokenLink, ConsentChainReport, ConsentRecord, CHAIN_GENESIS};
use serde_json::Value;

/// A record as stored: its fields and the canonical text that was hashed when it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRecord {
    pub record: ConsentRecord,
    pub canonical: String,
}

/// Checks one customer's records, given oldest first (by id), and names the first broken link.
pub fn verify(customer_id: i64, records: &[StoredRecord]) -> ConsentChainReport {
    let mut unchained = 0;
    let mut chain_started = false;
    let mut first_broken = None;
    let mut previous: Option<&ConsentRecord> = None;
    for stored in records {
        let record = &stored.record;
        if unchained_ok(record, chain_started) {
            unchained += 1;
        }
        if let Some(problem) = check_one(stored, previous, chain_started) {
            first_broken = Some(problem);
            break;
        }
        chain_started |= record.prev_sha256.is_some();
        previous = Some(record);
    }
    ConsentChainReport {
        customer_id,
        records: records.len(),
        unchained,
        head_sha256: records.last().map(|stored| stored.record.sha256.clone()),
        intact: first_broken.is_none(),
        first_broken,
    }
}

/// A record without a link is acceptable only before the chain began (records older than the chain).
fn unchained_ok(record: &ConsentRecord, chain_started: bool) -> bool {
    record.prev_sha256.is_none() && !chain_started
}

fn check_one(
    stored: &StoredRecord,
    previous: Option<&ConsentRecord>,
    chain_started: bool,
) -> Option<BrokenLink> {
    let record = &stored.record;
    let broken = |problem: &str, message: String| {
        Some(BrokenLink {
            record_id: record.id,
            previous_id: previous.map(|p| p.id),
            problem: problem.to_owned(),
            message,
        })
    };
    let id = record.id;
    if record_canonical(record).ok().as_deref() != Some(stored.canonical.as_str()) {
        return broken(
            "fields_differ",
            format!("record {id}: its stored fields no longer give the text that was hashed"),
        );
    }
    if sha256_hex(&stored.canonical) != record.sha256 {
        return broken(
            "hash_mismatch",
            format!("record {id}: its text no longer gives its stored hash"),
        );
    }
    let expected = previous.map_or(CHAIN_GENESIS, |p| p.sha256.as_str());
    match (&record.prev_sha256, previous) {
        (None, _) if !chain_started => None,
        (None, _) => broken(
            "link_missing",
            format!("record {id}: it has no link to the record before it"),
        ),
        (Some(link), _) if link == expected => None,
        (Some(_), Some(p)) => broken(
            "link_mismatch",
            format!(
                "record {id}: its link does not match record {}'s hash (that record was changed, \
                 or one between them removed)",
                p.id
            ),
        ),
        (Some(_), None) => broken(
            "link_mismatch",
            format!(
                "record {id}: it is the oldest record but links to an earlier one (a record was removed)"
            ),
        ),
    }
}

/// Canonical JSON: object keys sorted recursively, no whitespace. The scoring core's encoder, so that
/// instrument hashes and consent receipts follow one definition of "canonical".
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    rapport_core::instrument::canonical_json(value, &mut out);
    out
}

/// The canonical text of a record: its JSON without `sha256`.
pub fn record_canonical(record: &ConsentRecord) -> Result<String, AppError> {
    let mut value = serde_json::to_value(record).map_err(|_| AppError::internal())?;
    if let Some(map) = value.as_object_mut() {
        map.remove("sha256");
    }
    Ok(canonical_json(&value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rapport_api::Change;
    use serde_json::json;

    /// A well-formed chain of `n` records for customer 1 (ids 10, 20, …), the first `legacy` of them
    /// written before the chain existed.
    fn chain(n: usize, legacy: usize) -> Vec<StoredRecord> {
        let mut out: Vec<StoredRecord> = Vec::new();
        for i in 0..n {
            let prev_sha256 = (i >= legacy).then(|| {
                out.last()
                    .map_or(CHAIN_GENESIS.to_owned(), |p| p.record.sha256.clone())
            });
            out.push(seal(ConsentRecord {
                id: 10 * (i as i64 + 1),
                customer_id: 1,
                at: format!("2025-01-{:02}T00:00:00Z", i % 28 + 1),
                notice_version: "v1".into(),
                notice_sha256: "ab".into(),
                control: "matrix".into(),
                page: "/preferences".into(),
                gpc: false,
                source: "customer".into(),
                changes: vec![Change {
                    field: "permissions.email.offers".into(),
                    old: json!(i % 2 == 1),
                    new: json!(i % 2 == 0),
                }],
                prev_sha256,
                sha256: String::new(),
            }));
        }
        out
    }

    /// Computes the canonical text and hash, as a writer (honest or not) does.
    fn seal(mut record: ConsentRecord) -> StoredRecord {
        let canonical = record_canonical(&record).unwrap();
        record.sha256 = sha256_hex(&canonical);
        StoredRecord { record, canonical }
    }

    fn problem(report: &ConsentChainReport) -> Option<(i64, &str)> {
        report
            .first_broken
            .as_ref()
            .map(|b| (b.record_id, b.problem.as_str()))
    }

    #[test]
    fn an_honest_chain_is_intact_and_reports_its_head() {
        let records = chain(4, 0);
        let report = verify(1, &records);
        assert!(report.intact, "{report:?}");
        assert_eq!((report.records, report.unchained), (4, 0));
        assert_eq!(
            report.head_sha256.as_deref(),
            Some(records[3].record.sha256.as_str())
        );
        assert_eq!(
            records[0].record.prev_sha256.as_deref(),
            Some(CHAIN_GENESIS)
        );
        let empty = verify(1, &[]);
        assert!(empty.intact && empty.head_sha256.is_none());
    }

    #[test]
    fn older_records_without_links_may_only_lead_the_chain() {
        let report = verify(1, &chain(5, 2));
        assert!(report.intact, "{report:?}");
        assert_eq!(report.unchained, 2);
        // A link removed later on (and the hash recomputed) is a broken chain.
        let mut records = chain(5, 2);
        records[3].record.prev_sha256 = None;
        records[3] = seal(records[3].record.clone());
        assert_eq!(problem(&verify(1, &records)), Some((40, "link_missing")));
    }

    #[test]
    fn a_record_rewritten_with_its_hash_recomputed_breaks_the_next_link() {
        let mut records = chain(4, 0);
        records[1].record.changes[0].new = json!("forged");
        records[1] = seal(records[1].record.clone());
        let report = verify(1, &records);
        assert!(!report.intact);
        let broken = report.first_broken.unwrap();
        assert_eq!((broken.record_id, broken.previous_id), (30, Some(20)));
        assert_eq!(broken.problem, "link_mismatch");
        assert!(broken.message.contains("record 20"), "{}", broken.message);
    }

    #[test]
    fn edits_that_leave_the_hash_alone_are_caught_on_the_record_itself() {
        let mut fields = chain(3, 0);
        fields[2].record.control = "forged".into();
        assert_eq!(problem(&verify(1, &fields)), Some((30, "fields_differ")));
        let mut text = chain(3, 0);
        text[0].canonical = text[0].canonical.replace("matrix", "forged");
        text[0].record.control = "forged".into();
        assert_eq!(problem(&verify(1, &text)), Some((10, "hash_mismatch")));
    }

    #[test]
    fn a_removed_record_breaks_the_chain_wherever_it_was() {
        let mut middle = chain(4, 0);
        middle.remove(2);
        assert_eq!(problem(&verify(1, &middle)), Some((40, "link_mismatch")));
        let mut first = chain(4, 0);
        first.remove(0);
        let report = verify(1, &first);
        assert_eq!(problem(&report), Some((20, "link_mismatch")));
        assert_eq!(report.first_broken.unwrap().previous_id, None);
    }

    proptest! {
        /// Whatever single record is rewritten (any field, hash recomputed), the chain is reported
        /// broken unless it was the newest, at the rewritten record or the one after it.
        #[test]
        fn any_single_rewrite_before_the_head_is_detected(
            n in 2usize..8,
            pick in 0usize..8,
            text in "[a-z]{1,12}",
        ) {
            let victim = pick % (n - 1);
            let mut records = chain(n, 0);
            records[victim].record.page = format!("/{text}-forged");
            records[victim] = seal(records[victim].record.clone());
            let report = verify(1, &records);
            prop_assert!(!report.intact);
            let broken = report.first_broken.unwrap();
            prop_assert_eq!(broken.record_id, records[victim + 1].record.id);
            prop_assert_eq!(broken.previous_id, Some(records[victim].record.id));
        }
    }
}
