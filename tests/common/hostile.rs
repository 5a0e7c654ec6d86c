//! The hostile cases of `fixtures/hostile.toml`, made into bytes.
//!
//! Shared by the tests (`tests/hostile.rs`) and the benchmark
//! (`benches/check.rs`), so both run exactly the same inputs.

use std::path::Path;

use toml::Value;

/// One hostile file and the finding it must get.
pub struct Case {
    pub name: String,
    /// `eval-results` or `eval-yaml`.
    pub kind: String,
    /// The code of a finding the file must get.
    pub expect: String,
    /// The size cap to check it with, when the case raises it.
    pub cap: Option<usize>,
    pub bytes: Vec<u8>,
}

/// Every case of `fixtures/hostile.toml` under `root`, in file order.
pub fn cases(root: &Path) -> Vec<Case> {
    let path = root.join("fixtures/hostile.toml");
    let text = std::fs::read_to_string(&path).expect("fixtures/hostile.toml");
    let table: toml::Table = text.parse().expect("fixtures/hostile.toml is TOML");
    let list = table["case"].as_array().expect("[[case]] tables");
    list.iter().map(case).collect()
}

fn case(value: &Value) -> Case {
    let string = |key: &str| value[key].as_str().unwrap_or_else(|| panic!("{key}")).to_owned();
    let name = string("name");
    let mut bytes = Vec::new();
    for part in value["parts"].as_array().expect("parts") {
        let times = part.get("times").map_or(1, |t| t.as_integer().expect("times") as usize);
        if let Some(text) = part.get("text") {
            bytes.extend(text.as_str().expect("text").repeat(times).into_bytes());
        } else if let Some(list) = part.get("bytes") {
            let one: Vec<u8> = list
                .as_array()
                .expect("bytes")
                .iter()
                .map(|b| b.as_integer().unwrap() as u8)
                .collect();
            bytes.extend(one.repeat(times));
        } else if let Some(text) = part.get("nest") {
            let text = text.as_str().expect("nest");
            for depth in 0..times {
                bytes.extend(format!("{}{text}\n", "  ".repeat(depth)).into_bytes());
            }
        } else {
            panic!("{name}: a part needs `text`, `bytes` or `nest`");
        }
    }
    let cap = value.get("cap").map(|c| c.as_integer().expect("cap") as usize);
    Case { name, kind: string("kind"), expect: string("expect"), cap, bytes }
}
