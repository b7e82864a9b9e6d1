//! Runtime configuration from environment variables (and a `--port` flag for convenience).

use crate::lifecycle::LifecycleRules;
use rapport_api::Seller;
use std::path::PathBuf;

/// Where the server listens, what it serves and where it keeps its data.
#[derive(Clone, Debug)]
pub struct Config {
    /// TCP port on 127.0.0.1 (`RAPPORT_PORT`, default 8080; 0 picks a free port).
    pub port: u16,
    /// The database (`RAPPORT_DB`, else `DATABASE_URL`; default `rapport.sqlite3`): a SQLite file,
    /// `:memory:`, or a `postgres://` URL.
    pub database: String,
    /// Built portal (`RAPPORT_PORTAL_DIR`, default `dist`).
    pub portal_dir: PathBuf,
    /// Built widget and its demo page (`RAPPORT_WIDGET_DIR`, default `dist-widget`).
    pub widget_dir: PathBuf,
    /// Seed demo data into an empty database (`RAPPORT_SEED`, default on; `0` to disable).
    pub seed_demo: bool,
    /// Mark the session cookie `Secure` (`RAPPORT_SECURE_COOKIE=1`); needed behind HTTPS, off for plain
    /// loopback HTTP where the browser would otherwise drop it.
    pub secure_cookie: bool,
    /// Relationship phase and survey trigger rules: the defaults, or the JSON file named by
    /// `RAPPORT_LIFECYCLE` (only the fields it changes), with `RAPPORT_SURVEY_DELAY_DAYS` overriding the
    /// days between delivery and the order survey.
    pub lifecycle: LifecycleRules,
    /// The firm named on invoices: `RAPPORT_SELLER_NAME`, `RAPPORT_SELLER_ADDRESS` (lines separated by
    /// `\n` or `|`) and `RAPPORT_SELLER_VAT`, all three or none; with demo data and none set, a demo
    /// firm.
    pub seller: Option<Seller>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            port: 8080,
            database: "rapport.sqlite3".into(),
            portal_dir: "dist".into(),
            widget_dir: "dist-widget".into(),
            seed_demo: true,
            secure_cookie: false,
            lifecycle: LifecycleRules::default(),
            seller: None,
        }
    }
}

impl Config {
    /// Reads the environment and arguments; returns a message for anything it cannot understand.
    pub fn from_env_and_args(
        vars: impl Fn(&str) -> Option<String>,
        args: &[String],
    ) -> Result<Self, String> {
        let mut config = Config::default();
        if let Some(port) = vars("RAPPORT_PORT") {
            config.port = parse_port(&port)?;
        }
        // `DATABASE_URL` is the name hosting platforms and sqlx's tools use; our own name wins.
        if let Some(db) = vars("RAPPORT_DB").or_else(|| vars("DATABASE_URL")) {
            config.database = db;
        }
        if let Some(dir) = vars("RAPPORT_PORTAL_DIR") {
            config.portal_dir = dir.into();
        }
        if let Some(dir) = vars("RAPPORT_WIDGET_DIR") {
            config.widget_dir = dir.into();
        }
        if let Some(seed) = vars("RAPPORT_SEED") {
            config.seed_demo = seed != "0";
        }
        config.secure_cookie = vars("RAPPORT_SECURE_COOKIE").is_some_and(|v| v == "1");
        if let Some(path) = vars("RAPPORT_LIFECYCLE") {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read RAPPORT_LIFECYCLE file {path:?}: {e}"))?;
            config.lifecycle = serde_json::from_str(&text)
                .map_err(|e| format!("RAPPORT_LIFECYCLE file {path:?}: {e}"))?;
        }
        config.seller = seller(&vars, config.seed_demo)?;
        if let Some(delay) = vars("RAPPORT_SURVEY_DELAY_DAYS") {
            config.lifecycle.delivered_delay_days = delay.trim().parse().map_err(|_| {
                format!("RAPPORT_SURVEY_DELAY_DAYS must be a whole number of days, not {delay:?}")
            })?;
        }
        config
            .lifecycle
            .validate()
            .map_err(|e| format!("lifecycle rules: {e}"))?;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--port" => {
                    let value = args.next().ok_or("--port needs a value")?;
                    config.port = parse_port(value)?;
                }
                "--db" => {
                    config.database = args.next().ok_or("--db needs a value")?.clone();
                }
                other => {
                    return Err(format!(
                        "unknown argument {other:?} (known: --port N, --db FILE|URL)"
                    ))
                }
            }
        }
        Ok(config)
    }
}

/// The invoice issuer from the environment (all three variables or none), else the demo firm when demo
/// data is seeded.
fn seller(vars: &impl Fn(&str) -> Option<String>, demo: bool) -> Result<Option<Seller>, String> {
    let read = |name: &str| {
        vars(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    match (
        read("RAPPORT_SELLER_NAME"),
        read("RAPPORT_SELLER_ADDRESS"),
        read("RAPPORT_SELLER_VAT"),
    ) {
        (Some(name), Some(address), Some(vat_number)) => Ok(Some(Seller {
            name,
            address: address.replace('|', "\n"),
            vat_number,
        })),
        (None, None, None) if demo => Ok(Some(Seller {
            name: "Rapport Demo B.V.".into(),
            address: "Keizersgracht 1\n1015 CC Amsterdam\nNetherlands".into(),
            vat_number: "NL000099998B57".into(),
        })),
        (None, None, None) => Ok(None),
        _ => Err("set all of RAPPORT_SELLER_NAME, RAPPORT_SELLER_ADDRESS and RAPPORT_SELLER_VAT, or none \
             (an invoice must name its issuer in full)"
            .into()),
    }
}

fn parse_port(value: &str) -> Result<u16, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("port must be a number from 0 to 65535, not {value:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_and_flags_override_defaults() {
        let env = |k: &str| match k {
            "RAPPORT_PORT" => Some("9000".to_string()),
            "RAPPORT_SEED" => Some("0".to_string()),
            _ => None,
        };
        let c = Config::from_env_and_args(env, &["--db".into(), "x.db".into()]).unwrap();
        assert_eq!(
            (c.port, c.database.as_str(), c.seed_demo),
            (9000, "x.db", false)
        );
        let c = Config::from_env_and_args(env, &["--port".into(), "1234".into()]).unwrap();
        assert_eq!(c.port, 1234);
    }

    #[test]
    fn database_url_is_read_when_rapport_db_is_not_set() {
        let url = "postgres://rapport@127.0.0.1/rapport";
        let env = |k: &str| (k == "DATABASE_URL").then(|| url.to_string());
        assert_eq!(Config::from_env_and_args(env, &[]).unwrap().database, url);
        let both = |k: &str| match k {
            "DATABASE_URL" => Some(url.to_string()),
            "RAPPORT_DB" => Some("x.db".to_string()),
            _ => None,
        };
        assert_eq!(
            Config::from_env_and_args(both, &[]).unwrap().database,
            "x.db"
        );
    }

    #[test]
    fn lifecycle_rules_come_from_a_file_and_the_delay_from_its_own_variable() {
        let path = std::env::temp_dir().join(format!("rapport-rules-{}.json", std::process::id()));
        std::fs::write(&path, r#"{"periodic_days": 30, "delivered_delay_days": 5}"#).unwrap();
        let file = path.to_string_lossy().into_owned();
        let env = |k: &str| match k {
            "RAPPORT_LIFECYCLE" => Some(file.clone()),
            _ => None,
        };
        let c = Config::from_env_and_args(env, &[]).unwrap();
        assert_eq!(
            (c.lifecycle.periodic_days, c.lifecycle.delivered_delay_days),
            (30, 5)
        );
        let env = |k: &str| match k {
            "RAPPORT_LIFECYCLE" => Some(file.clone()),
            "RAPPORT_SURVEY_DELAY_DAYS" => Some("0".to_string()),
            _ => None,
        };
        let c = Config::from_env_and_args(env, &[]).unwrap();
        assert_eq!(
            (c.lifecycle.periodic_days, c.lifecycle.delivered_delay_days),
            (30, 0)
        );
        let bad = |k: &str| (k == "RAPPORT_SURVEY_DELAY_DAYS").then(|| "-3".to_string());
        assert!(Config::from_env_and_args(bad, &[]).is_err());
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn the_seller_is_configured_in_full_or_is_the_demo_firm() {
        let full = |k: &str| match k {
            "RAPPORT_SELLER_NAME" => Some("Shop B.V.".to_string()),
            "RAPPORT_SELLER_ADDRESS" => Some("Street 1|1000 AA Town".to_string()),
            "RAPPORT_SELLER_VAT" => Some("NL123456789B01".to_string()),
            _ => None,
        };
        let seller = Config::from_env_and_args(full, &[])
            .unwrap()
            .seller
            .unwrap();
        assert_eq!(seller.address, "Street 1\n1000 AA Town");
        assert_eq!(seller.vat_number, "NL123456789B01");
        let demo = Config::from_env_and_args(|_| None, &[]).unwrap();
        assert!(demo.seller.is_some_and(|s| !s.vat_number.is_empty()));
        let no_demo = |k: &str| (k == "RAPPORT_SEED").then(|| "0".to_string());
        assert_eq!(
            Config::from_env_and_args(no_demo, &[]).unwrap().seller,
            None
        );
        let half = |k: &str| (k == "RAPPORT_SELLER_NAME").then(|| "Shop".to_string());
        assert!(Config::from_env_and_args(half, &[])
            .unwrap_err()
            .contains("RAPPORT_SELLER_VAT"));
    }

    #[test]
    fn bad_values_are_explained() {
        let env = |k: &str| (k == "RAPPORT_PORT").then(|| "eighty".to_string());
        assert!(Config::from_env_and_args(env, &[])
            .unwrap_err()
            .contains("eighty"));
        let none = |_: &str| None;
        assert!(Config::from_env_and_args(none, &["--frobnicate".into()])
            .unwrap_err()
            .contains("--frobnicate"));
        assert!(Config::from_env_and_args(none, &["--port".into()]).is_err());
    }
}
