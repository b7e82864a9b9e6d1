//! Stored survey answers as the customer, staff and the lifecycle read them: where an answer came from,
//! its answers by item, its headline number, and what the firm did about it.

use crate::db::{Conn, QueryBuilder};
use crate::AppError;
use rapport_api::SurveyAction;
use rapport_core::score::{ResponseScores, Scores};
use std::collections::{BTreeMap, HashMap};

/// Where a stored answer came from (the `source` column), so that staff can tell an anonymous flood
/// from answers by known customers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Anonymous, through the widget (possibly on a firm's own site).
    Widget,
    /// A signed-in customer.
    Customer,
    /// A signed-in customer answering their invitation.
    Invitation,
}

impl Source {
    pub const ALL: [Source; 3] = [Source::Widget, Source::Customer, Source::Invitation];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Widget => "widget",
            Source::Customer => "customer",
            Source::Invitation => "invitation",
        }
    }

    pub fn parse(text: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// The actions recorded for these responses, oldest first, by response id.
pub async fn actions_for(
    conn: &mut Conn,
    response_ids: &[String],
) -> Result<HashMap<String, Vec<SurveyAction>>, AppError> {
    let mut by_response: HashMap<String, Vec<SurveyAction>> = HashMap::new();
    if response_ids.is_empty() {
        return Ok(by_response);
    }
    let mut query = QueryBuilder::new(
        "SELECT id, response_id, text, created_at FROM survey_actions WHERE response_id IN (",
    );
    query
        .push_bind_list(response_ids.iter().cloned())
        .push(") ORDER BY id");
    let rows: Vec<(i64, String, String, String)> =
        query.build_query_as().fetch_all(&mut *conn).await?;
    for (id, response_id, text, created_at) in rows {
        by_response
            .entry(response_id)
            .or_default()
            .push(SurveyAction {
                id,
                text,
                created_at,
            });
    }
    Ok(by_response)
}

/// Stored answers as item id → integer answer; skipped items (null) are left out.
pub fn answer_map(text: &str) -> Result<BTreeMap<String, i64>, AppError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        tracing::error!("unreadable stored answers: {e}");
        AppError::internal()
    })?;
    Ok(value
        .as_object()
        .map(|answers| {
            answers
                .iter()
                .filter_map(|(item, answer)| Some((item.clone(), answer.as_i64()?)))
                .collect()
        })
        .unwrap_or_default())
}

/// The headline of an answer for staff (`NPS 9 (promoter)`, `CES 2`, `Commitment 72`), when the
/// instrument has one number that sums it up.
pub fn headline(scores: &str) -> Option<String> {
    let scores: ResponseScores = serde_json::from_str(scores).ok()?;
    // The core names the NPS category; an empty label means it has none.
    let category = scores.label().map(|(_, c)| c).filter(|c| !c.is_empty());
    match scores.scores {
        Scores::Nps(s) => {
            let answer = s.answer?;
            Some(match category {
                Some(category) => format!("NPS {answer} ({category})"),
                None => format!("NPS {answer}"),
            })
        }
        Scores::Ces(s) => Some(format!("CES {}", s.answer?)),
        Scores::Csat(s) => Some(format!("CSAT {}", s.answer?)),
        Scores::Commitment(s) => Some(format!("Commitment {:.0}", s.index?)),
        Scores::Servqual(s) => Some(format!("SERVQUAL gap {:+.2}", s.sq?)),
        Scores::Servperf(s) => Some(format!("SERVPERF {:.2}", s.servperf?)),
        Scores::ZoneOfTolerance(_) => None,
    }
}

#[cfg(test)]
mod headline_tests {
    use super::headline;

    #[test]
    fn headlines_name_the_number_and_the_nps_category() {
        let nps =
            r#"{"flags":[],"scores":{"method":"nps","answer":9,"category":"promoter","s":1}}"#;
        assert_eq!(headline(nps).as_deref(), Some("NPS 9 (promoter)"));
        let ces = r#"{"flags":[],"scores":{"method":"ces","answer":2,"agree":null}}"#;
        assert_eq!(headline(ces).as_deref(), Some("CES 2"));
        assert_eq!(headline("not json"), None);
    }
}
