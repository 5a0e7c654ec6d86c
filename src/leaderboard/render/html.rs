//! The static site: one self-contained HTML file per page, with inline CSS
//! and a little inline JavaScript to sort (click a column header) and
//! filter (type in the box above a table). No external assets.

use std::fmt::Write as _;

use super::{badge_words, linkable, root_of, value};
use crate::leaderboard::{
    BenchmarkPage, DateSource, Index, ModelPage, Order, Rejected, RejectedPage, Row, review_label,
};
use crate::report::clean;

const CSS: &str = "\
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1f2328;background:#fff}
header{background:#f6f8fa;border-bottom:1px solid #d0d7de;padding:.6em 1.5em}
main{padding:0 1.5em 2em;max-width:72em}
a{color:#0969da}
h1 small,h2 small{font-weight:normal;color:#59636e;font-size:.6em}
table{border-collapse:collapse;margin:.5em 0 1.5em;width:100%}
th,td{border-bottom:1px solid #d0d7de;padding:.35em .6em;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button::after{content:' \\25B2'}
th[aria-sort=descending] button::after{content:' \\25BC'}
.badge{display:inline-block;font-size:.8em;border-radius:1em;padding:0 .6em;margin:0 .2em .2em 0;border:1px solid}
.verified{color:#1a7f37;border-color:#1a7f37}
.community{color:#8250df;border-color:#8250df}
.source{color:#0969da;border-color:#0969da}
.leaderboard{color:#9a6700;border-color:#9a6700}
input.filter{font:inherit;padding:.2em .4em;min-width:16em}
.finding code{background:#f6f8fa}
";

const SCRIPT: &str = "\
(function () {
  function key(row, col) {
    var cell = row.cells[col];
    return cell.hasAttribute('data-value') ? cell.getAttribute('data-value') : cell.textContent;
  }
  document.querySelectorAll('table.board').forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      var button = th.querySelector('button');
      if (!button) { return; }
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var numeric = button.getAttribute('data-sort') === 'number';
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a, col), y = key(b, col);
          var c = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
          return ascending ? c : -c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
  document.querySelectorAll('input.filter').forEach(function (input) {
    var table = document.getElementById(input.getAttribute('data-table'));
    input.addEventListener('input', function () {
      var query = input.value.toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        row.hidden = query !== '' && row.textContent.toLowerCase().indexOf(query) < 0;
      });
    });
  });
})();
";

pub fn benchmark(page: &BenchmarkPage) -> String {
    let root = root_of(&page.page);
    let title = format!("{} — leaderboard", page.info.name);
    let mut body =
        format!("<h1>{} <small>{}</small></h1>\n", esc(&page.info.name), esc(&page.info.id));
    if page.tasks.is_empty() {
        body += "<p>No results yet.</p>\n";
    }
    for (i, task) in page.tasks.iter().enumerate() {
        let order = match task.order {
            Order::HigherIsBetter => "higher is better",
            Order::LowerIsBetter => "lower is better",
        };
        let table = format!("board-{}", i + 1);
        let _ = writeln!(
            body,
            "<section id=\"task-{}\">\n<h2>{} <small>{order}</small></h2>",
            i + 1,
            esc(&task.id)
        );
        filter(&mut body, &table, &task.id);
        let _ = writeln!(body, "<table class=\"board\" id=\"{table}\">");
        body += &head(&[
            ("Rank", Some("number"), true),
            ("Model", Some("text"), false),
            ("Value", Some("number"), true),
            ("Date", Some("text"), false),
            ("Badges", None, false),
            ("Notes", None, false),
            ("Source", None, false),
        ]);
        for row in &task.results {
            let rank = row.rank.map_or(String::new(), |r| r.to_string());
            let _ = writeln!(
                body,
                "<tr><td class=\"num\" data-value=\"{rank}\">{rank}</td>\
                 <td><a href=\"{root}models/{}.html\">{}</a></td>{}{}<td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&row.model),
                esc(&row.model),
                value_cell(row),
                date_cell(row),
                badges(row, None),
                row.notes.as_deref().map(esc).unwrap_or_default(),
                source(row),
            );
        }
        body += "</tbody>\n</table>\n</section>\n";
    }
    rejected_section(&mut body, &page.rejected, &root);
    document(&title, &root, "rank", &body)
}

pub fn model(page: &ModelPage) -> String {
    let root = root_of(&page.page);
    let mut body = format!("<h1>{} <small>model</small></h1>\n", esc(&page.id));
    if page.results.is_empty() {
        body += "<p>No accepted results.</p>\n";
    } else {
        filter(&mut body, "results", "results");
        body += "<table class=\"board\" id=\"results\">\n";
        body += &head(&[
            ("Benchmark", Some("text"), false),
            ("Task", Some("text"), false),
            ("Value", Some("number"), true),
            ("Date", Some("text"), false),
            ("Badges", None, false),
            ("Notes", None, false),
            ("Source", None, false),
        ]);
        for row in &page.results {
            let _ = writeln!(
                body,
                "<tr><td>{}</td><td>{}</td>{}{}<td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&row.benchmark),
                esc(&row.task),
                value_cell(row),
                date_cell(row),
                badges(row, Some(&root)),
                row.notes.as_deref().map(esc).unwrap_or_default(),
                source(row),
            );
        }
        body += "</tbody>\n</table>\n";
    }
    rejected_section(&mut body, &page.rejected, &root);
    document(&format!("{} — results", page.id), &root, "model", &body)
}

pub fn index(index: &Index) -> String {
    let mut body = String::from("<h1>Leaderboards</h1>\n<h2>Benchmarks</h2>\n");
    if index.benchmarks.is_empty() {
        body += "<p>No benchmarks yet.</p>\n";
    } else {
        filter(&mut body, "benchmarks", "benchmarks");
        body += "<table class=\"board\" id=\"benchmarks\">\n";
        body += &head(&[
            ("Benchmark", Some("text"), false),
            ("Name", Some("text"), false),
            ("Tasks", None, false),
            ("Results", Some("number"), true),
        ]);
        for b in &index.benchmarks {
            let tasks: Vec<String> = b.info.tasks.iter().map(|t| esc(t)).collect();
            let _ = writeln!(
                body,
                "<tr><td><a href=\"{}.html\">{}</a></td><td>{}</td><td>{}</td>\
                 <td class=\"num\" data-value=\"{}\">{}</td></tr>",
                esc(&b.page),
                esc(&b.info.id),
                esc(&b.info.name),
                tasks.join(", "),
                b.results,
                b.results
            );
        }
        body += "</tbody>\n</table>\n";
    }
    body += "<h2>Models</h2>\n";
    if index.models.is_empty() {
        body += "<p>No results yet.</p>\n";
    } else {
        filter(&mut body, "models", "models");
        body += "<table class=\"board\" id=\"models\">\n";
        body += &head(&[
            ("Model", Some("text"), false),
            ("Results", Some("number"), true),
            ("Rejected", Some("number"), true),
        ]);
        for m in &index.models {
            let _ = writeln!(
                body,
                "<tr><td><a href=\"{}.html\">{}</a></td><td class=\"num\" data-value=\"{}\">{}</td>\
                 <td class=\"num\" data-value=\"{}\">{}</td></tr>",
                esc(&m.page),
                esc(&m.id),
                m.results,
                m.results,
                m.rejected,
                m.rejected
            );
        }
        body += "</tbody>\n</table>\n";
    }
    let _ =
        writeln!(body, "<p><a href=\"rejected.html\">Rejected results</a>: {}</p>", index.rejected);
    document("Leaderboards", "", "index", &body)
}

pub fn rejected(page: &RejectedPage) -> String {
    let mut body = String::from("<h1>Rejected results</h1>\n");
    if page.rejected.is_empty() {
        body += "<p>None.</p>\n";
    }
    rejected_section(&mut body, &page.rejected, "");
    document("Rejected results", "", "rejected", &body)
}

/// A whole page around `body`.
fn document(title: &str, root: &str, kind: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body class=\"{kind}\">\n\
         <header><nav><a href=\"{root}index.html\">All leaderboards</a> · \
         <a href=\"{root}rejected.html\">Rejected results</a></nav></header>\n<main>\n{body}</main>\n\
         <script>\n{SCRIPT}</script>\n</body>\n</html>\n",
        esc(title)
    )
}

/// A table head; `(label, sort kind, numeric)` per column, then `<tbody>`.
fn head(columns: &[(&str, Option<&str>, bool)]) -> String {
    let mut out = String::from("<thead><tr>");
    for (i, (label, sort, numeric)) in columns.iter().enumerate() {
        let class = if *numeric { " class=\"num\"" } else { "" };
        // The rows come sorted by the first column.
        let sorted = if i == 0 && sort.is_some() { " aria-sort=\"ascending\"" } else { "" };
        match sort {
            Some(kind) => {
                let _ = write!(
                    out,
                    "<th{class}{sorted}><button type=\"button\" data-sort=\"{kind}\">{label}</button></th>"
                );
            }
            None => {
                let _ = write!(out, "<th{class}>{label}</th>");
            }
        }
    }
    out + "</tr></thead>\n<tbody>\n"
}

fn filter(out: &mut String, table: &str, what: &str) {
    let _ = writeln!(
        out,
        "<p><label>Filter <input type=\"search\" class=\"filter\" data-table=\"{table}\" \
         aria-label=\"Filter {}\" placeholder=\"model, notes, badge…\"></label></p>",
        esc(what)
    );
}

fn value_cell(row: &Row) -> String {
    let shown = value(row.value);
    format!("<td class=\"num\" data-value=\"{shown}\">{shown}</td>")
}

fn date_cell(row: &Row) -> String {
    let title = match row.date_source {
        DateSource::Entry => "the date the result states",
        DateSource::Commit => "the date of the commit that last changed the file",
    };
    format!("<td title=\"{title}\">{}</td>", esc(&row.date))
}

/// A row's badges; on a model page (`root` given) with the leaderboard link.
fn badges(row: &Row, root: Option<&str>) -> String {
    let mut out = String::new();
    for word in badge_words(row) {
        let (class, title) = if word == "verified" {
            ("verified", "its verifyToken verifies with a key this server trusts".to_owned())
        } else if word == "source" {
            ("source", "it names where it comes from".to_owned())
        } else {
            let review = row.badges.community.as_deref().unwrap_or_default();
            ("community", format!("submitted on {review}, not by the model's authors"))
        };
        let _ = write!(
            out,
            "<span class=\"badge {class}\" title=\"{}\">{}</span>",
            esc(&title),
            esc(&word)
        );
    }
    if let Some(root) = root {
        let _ = write!(
            out,
            "<a class=\"badge leaderboard\" href=\"{root}{}\">leaderboard</a>",
            esc(&row.leaderboard)
        );
    }
    out
}

fn source(row: &Row) -> String {
    let Some(source) = &row.source else { return String::new() };
    let label = esc(source.name.as_deref().unwrap_or("source"));
    if linkable(&source.url) {
        format!("<a href=\"{}\" rel=\"nofollow noopener\">{label}</a>", esc(&source.url))
    } else {
        label
    }
}

fn rejected_section(out: &mut String, rejected: &[Rejected], root: &str) {
    if rejected.is_empty() {
        return;
    }
    *out += "<section id=\"rejected\">\n<h2>Rejected <small>left out by the rules</small></h2>\n";
    filter(out, "rejected-table", "rejected results");
    *out += "<table class=\"board\" id=\"rejected-table\">\n";
    *out += &head(&[
        ("Model", Some("text"), false),
        ("Benchmark", Some("text"), false),
        ("Task", Some("text"), false),
        ("Value", Some("number"), true),
        ("Ref", Some("text"), false),
        ("File", Some("text"), false),
        ("Findings", None, false),
    ]);
    for item in rejected {
        let reference = match &item.community {
            Some(review) => {
                format!("{} ({})", esc(&item.origin.reference), esc(&review_label(review)))
            }
            None => esc(&item.origin.reference),
        };
        let file = match item.origin.entry {
            Some(entry) => format!("{} (entry {})", esc(&item.origin.file), entry + 1),
            None => esc(&item.origin.file),
        };
        let findings: Vec<String> = item
            .findings
            .iter()
            .map(|p| {
                let at = p.line.map_or(String::new(), |line| format!(" line {line}"));
                format!(
                    "<div class=\"finding\"><code>{}</code>{at}: {}</div>",
                    esc(&p.code),
                    esc(&p.message)
                )
            })
            .collect();
        let shown = item.value.map(value).unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td><a href=\"{root}models/{}.html\">{}</a></td><td>{}</td><td>{}</td>\
             <td class=\"num\" data-value=\"{shown}\">{shown}</td><td>{reference}</td><td>{file}</td><td>{}</td></tr>",
            esc(&item.model),
            esc(&item.model),
            item.benchmark.as_deref().map(esc).unwrap_or_default(),
            item.task.as_deref().map(esc).unwrap_or_default(),
            findings.concat(),
        );
    }
    *out += "</tbody>\n</table>\n</section>\n";
}

/// Text from a repository, safe in HTML text and quoted attributes.
fn esc(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in clean(raw).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_text_is_escaped_and_has_no_control_characters() {
        assert_eq!(
            esc("<b a=\"x\">'&\u{7}</b>"),
            "&lt;b a=&quot;x&quot;&gt;&#39;&amp;\\u{7}&lt;/b&gt;"
        );
    }
}
