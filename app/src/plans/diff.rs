//! A readable line diff between two versions of a plan (longest common subsequence), for the
//! version history and the edit-conflict view.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    Same(String),
    Removed(String),
    Added(String),
}

/// The changes that turn `old` into `new`. Plans have a few hundred lines, so the quadratic
/// table is small; beyond `LIMIT` lines on each side the whole text is shown as replaced.
pub fn diff(old: &[String], new: &[String]) -> Vec<Change> {
    const LIMIT: usize = 4000;
    // Lines equal at both ends need no table.
    let head = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (a, b) = (&old[head..old.len() - tail], &new[head..new.len() - tail]);
    let mut out: Vec<Change> = old[..head].iter().cloned().map(Change::Same).collect();
    if a.len() > LIMIT || b.len() > LIMIT {
        out.extend(a.iter().cloned().map(Change::Removed));
        out.extend(b.iter().cloned().map(Change::Added));
    } else {
        // table[i][j]: length of the common subsequence of a[i..] and b[j..].
        let mut table = vec![vec![0u32; b.len() + 1]; a.len() + 1];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                table[i][j] = if a[i] == b[j] {
                    table[i + 1][j + 1] + 1
                } else {
                    table[i + 1][j].max(table[i][j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            if i < a.len() && j < b.len() && a[i] == b[j] {
                out.push(Change::Same(a[i].clone()));
                i += 1;
                j += 1;
            } else if j < b.len() && (i == a.len() || table[i][j + 1] >= table[i + 1][j]) {
                out.push(Change::Added(b[j].clone()));
                j += 1;
            } else {
                out.push(Change::Removed(a[i].clone()));
                i += 1;
            }
        }
    }
    out.extend(old[old.len() - tail..].iter().cloned().map(Change::Same));
    out
}

/// Only the changed lines, each with up to `context` unchanged lines around it.
pub fn changes_only(changes: &[Change], context: usize) -> Vec<Option<Change>> {
    let near: Vec<bool> = (0..changes.len())
        .map(|i| {
            let from = i.saturating_sub(context);
            let to = (i + context + 1).min(changes.len());
            changes[from..to]
                .iter()
                .any(|c| !matches!(c, Change::Same(_)))
        })
        .collect();
    let mut out = Vec::new();
    let mut skipped = false;
    for (change, keep) in changes.iter().zip(near) {
        if keep {
            if skipped {
                out.push(None);
                skipped = false;
            }
            out.push(Some(change.clone()));
        } else {
            skipped = true;
        }
    }
    if skipped && !out.is_empty() {
        out.push(None);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.split('|').map(str::to_string).collect()
    }

    #[test]
    fn finds_added_removed_and_kept_lines() {
        let d = diff(&lines("a|b|c|d"), &lines("a|c|x|d"));
        assert_eq!(
            d,
            vec![
                Change::Same("a".into()),
                Change::Removed("b".into()),
                Change::Same("c".into()),
                Change::Added("x".into()),
                Change::Same("d".into()),
            ]
        );
    }

    #[test]
    fn context_hides_far_unchanged_lines() {
        let d = diff(&lines("1|2|3|4|5|6"), &lines("1|2|3|4|5|7"));
        let shown = changes_only(&d, 1);
        assert_eq!(shown[0], None);
        assert_eq!(shown[1], Some(Change::Same("5".into())));
        assert_eq!(shown.len(), 4);
    }
}
