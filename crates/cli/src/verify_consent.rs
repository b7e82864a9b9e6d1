//! `rapport verify-consent`: checks one customer's consent chain in the server's database and names the
//! first broken link (the check itself is the server's, so both always agree).

use crate::Failure;
use rapport_api::ConsentChainReport;
use rapport_server::{consent, db};

pub struct Options {
    database: String,
    customer: i64,
    json: bool,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options, Failure> {
        let mut database = None;
        let mut customer = None;
        let mut json = false;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = || {
                args.next()
                    .cloned()
                    .ok_or_else(|| Failure::Usage(format!("{arg} needs a value")))
            };
            match arg.as_str() {
                "--db" => database = Some(value()?),
                "--customer" => {
                    let text = value()?;
                    let id = text.trim().parse().map_err(|_| {
                        Failure::Usage(format!("--customer takes a numeric id, not `{text}`"))
                    })?;
                    customer = Some(id);
                }
                "--json" => json = true,
                other => return Err(Failure::Usage(format!("unknown option `{other}`"))),
            }
        }
        Ok(Options {
            database: database
                .or_else(|| std::env::var("RAPPORT_DB").ok())
                .or_else(|| std::env::var("DATABASE_URL").ok())
                .ok_or_else(|| Failure::Usage("verify-consent needs --db FILE|URL".into()))?,
            customer: customer
                .ok_or_else(|| Failure::Usage("verify-consent needs --customer ID".into()))?,
            json,
        })
    }
}

/// Exit status 0 when the chain is intact, 1 when it is broken or cannot be read.
pub fn run(opts: Options) -> Result<(), Failure> {
    // Never create an empty database by mistake: a missing file is a typo, not an intact chain.
    if !db::is_postgres_url(&opts.database)
        && opts.database != ":memory:"
        && !std::path::Path::new(&opts.database).exists()
    {
        return Err(Failure::Data(format!(
            "no database at {}",
            db::describe(&opts.database)
        )));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Data(format!("cannot start: {e}")))?;
    let report = runtime.block_on(check(&opts))?;
    if opts.json {
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| Failure::Data(format!("cannot write the report: {e}")))?;
        println!("{text}");
    } else {
        println!("{}", summary(&report));
    }
    match &report.first_broken {
        None => Ok(()),
        Some(broken) => Err(Failure::Data(format!(
            "consent chain of customer {} is broken: {}",
            report.customer_id, broken.message
        ))),
    }
}

async fn check(opts: &Options) -> Result<ConsentChainReport, Failure> {
    let pool = db::open(&opts.database).await.map_err(|e| {
        Failure::Data(format!(
            "cannot open database {}: {e}",
            db::describe(&opts.database)
        ))
    })?;
    let mut conn = pool
        .acquire()
        .await
        .map_err(|e| Failure::Data(format!("cannot read the database: {e}")))?;
    let known: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE id = $1")
        .bind(opts.customer)
        .fetch_optional(&mut *conn)
        .await
        .map_err(|e| Failure::Data(format!("cannot read the database: {e}")))?;
    if known.is_none() {
        return Err(Failure::Data(format!("no customer {}", opts.customer)));
    }
    consent::check_chain(&mut conn, opts.customer)
        .await
        .map_err(|e| Failure::Data(format!("cannot check the chain: {}", e.message)))
}

/// One line for people.
fn summary(report: &ConsentChainReport) -> String {
    let state = if report.intact { "intact" } else { "BROKEN" };
    let head = report.head_sha256.as_deref().unwrap_or("none");
    format!(
        "customer {}: {} records ({} from before the chain), chain {state}, head {head}",
        report.customer_id, report.records, report.unchained
    )
}
