//! The deploy files (`deploy/`) against what the console really reads and does: the environment
//! example names every variable of the README's table and starts a console as it is, and the
//! unit gives the console its whole drain. (`make dist-check` runs the bundle itself.)

use server::config::Config;
use std::collections::BTreeMap;
use std::path::Path;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The variables in the first column of README.md's configuration table.
fn readme_variables() -> Vec<String> {
    let readme = read("README.md");
    let table = readme
        .split("| variable | default | meaning |")
        .nth(1)
        .expect("README.md has the configuration table");
    let mut names = Vec::new();
    for row in table.lines().skip(2).take_while(|l| l.starts_with('|')) {
        let first = row.split('|').nth(1).unwrap();
        names.extend(
            first
                .split('`')
                .skip(1)
                .step_by(2)
                .filter(|n| n.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
                .map(str::to_owned),
        );
    }
    names
}

/// The example's `KEY=value` lines, in order.
fn example() -> Vec<(String, String)> {
    read("deploy/dis-console.env.example")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (k, v) = l
                .split_once('=')
                .unwrap_or_else(|| panic!("not KEY=VALUE: {l}"));
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

#[test]
fn the_environment_example_has_every_variable_of_the_readme_once_with_secrets_blank() {
    let documented = readme_variables();
    assert!(documented.len() > 30, "{documented:?}");
    let example = example();
    let mut listed: Vec<&str> = example.iter().map(|(k, _)| k.as_str()).collect();
    for name in &documented {
        assert_eq!(
            listed.iter().filter(|l| **l == name).count(),
            1,
            "{name} in deploy/dis-console.env.example"
        );
    }
    listed.retain(|l| !documented.iter().any(|d| d == l));
    assert!(listed.is_empty(), "not in README.md's table: {listed:?}");
    for secret in [
        "DIS_AK",
        "DIS_SK",
        "DIS_AUTH_TOKEN",
        "DIS_IAM_PASSWORD",
        "CONSOLE_ADMIN_PASSWORD",
        "CONSOLE_OIDC_CLIENT_SECRET",
    ] {
        let value = &example.iter().find(|(k, _)| k == secret).unwrap().1;
        assert!(value.is_empty(), "{secret} must be blank in the example");
    }
}

#[test]
fn the_environment_example_as_shipped_is_a_valid_configuration() {
    let values: BTreeMap<String, String> = example().into_iter().collect();
    let config = Config::from_lookup(|name| Ok(values.get(name).cloned()))
        .unwrap_or_else(|e| panic!("deploy/dis-console.env.example: {e}"));
    assert_eq!(config.data_dir, Path::new("/var/lib/dis-console"));
    assert_eq!(config.site_addr.to_string(), "127.0.0.1:3000");
}

#[test]
fn the_unit_leaves_the_console_its_drain_and_its_state_directory() {
    let unit = read("deploy/dis-console.service");
    let setting = |name: &str| -> Vec<&str> {
        unit.lines()
            .filter_map(|l| l.strip_prefix(name)?.strip_prefix('='))
            .collect()
    };
    let stop: u64 = setting("TimeoutStopSec")[0]
        .trim_end_matches('s')
        .parse()
        .unwrap();
    assert!(
        stop > server::http::SHUTDOWN_GRACE.as_secs(),
        "TimeoutStopSec={stop}s must exceed the {} s drain",
        server::http::SHUTDOWN_GRACE.as_secs()
    );
    assert_eq!(setting("StateDirectory"), ["dis-console"]);
    let env_example = example();
    let data_dir = &env_example
        .iter()
        .find(|(k, _)| k == "CONSOLE_DATA_DIR")
        .unwrap()
        .1;
    assert_eq!(data_dir, "/var/lib/dis-console", "the StateDirectory");
    assert_eq!(setting("CapabilityBoundingSet"), [""]);
    assert_eq!(setting("ExecStart"), ["/opt/dis-console/server serve"]);
}
