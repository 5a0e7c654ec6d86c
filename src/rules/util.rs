//! Small helpers the rules share: typo suggestions and path names.

/// The known name closest to `given`, if one is close enough to be a typo.
///
/// Names are compared without case, `_` and `-` first (`verify_token` finds
/// `verifyToken`), then by edit distance, allowing one edit in four.
pub fn suggest<'a>(given: &str, known: &[&'a str]) -> Option<&'a str> {
    let norm = |s: &str| -> String {
        s.chars().filter(|c| *c != '_' && *c != '-').flat_map(char::to_lowercase).collect()
    };
    let given_norm = norm(given);
    if let Some(hit) = known.iter().find(|k| norm(k) == given_norm) {
        return Some(hit);
    }
    let limit = (given.chars().count() / 4).clamp(1, 3);
    let close = known
        .iter()
        .map(|k| (distance(&given_norm, &norm(k)), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k);
    // A name that holds a known one whole, as `gpqa_diamond` holds `diamond`.
    close.or_else(|| {
        known.iter().copied().find(|k| k.chars().count() >= 4 && given_norm.contains(&norm(k)))
    })
}

/// Edit distance where swapping two neighbours counts as one edit.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// Joins names as "`a`, `b` or `c`".
pub fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let known = ["verifyToken", "task_id", "value", "notes"];
        assert_eq!(suggest("verify_token", &known), Some("verifyToken"));
        assert_eq!(suggest("taskid", &known), Some("task_id"));
        assert_eq!(suggest("vaule", &known), Some("value"));
        assert_eq!(suggest("completely", &known), None);
        assert_eq!(suggest("gpqa_diamond", &["diamond", "main"]), Some("diamond"));
    }
}
