//! A line diff of two lists of log lines: the longest common subsequence,
//! shown as lines marked `  ` (in both), `- ` (expected only) and `+ `
//! (got only), with the unchanged runs far from a change folded.

/// Unchanged lines kept on each side of a change.
const CONTEXT: usize = 2;

/// Past this many cells the table is not built: every line of the
/// differing middle is shown as removed, then added.
const MAX_CELLS: usize = 4_000_000;

/// One line of the diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit<'a> {
    Same(&'a str),
    Expected(&'a str),
    Got(&'a str),
}

/// The edits from `a` to `b`: common prefix and suffix, and between them
/// the longest common subsequence.
fn edits<'a>(a: &'a [String], b: &'a [String]) -> Vec<Edit<'a>> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut out: Vec<Edit<'a>> = a[..prefix].iter().map(|l| Edit::Same(l)).collect();
    let (n, m) = (ma.len(), mb.len());
    if (n + 1).saturating_mul(m + 1) > MAX_CELLS {
        out.extend(ma.iter().map(|l| Edit::Expected(l)));
        out.extend(mb.iter().map(|l| Edit::Got(l)));
    } else {
        // lcs[i][j]: the longest common subsequence of ma[i..] and mb[j..].
        let w = m + 1;
        let mut lcs = vec![0u32; (n + 1) * w];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * w + j] = if ma[i] == mb[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && ma[i] == mb[j] {
                out.push(Edit::Same(&ma[i]));
                i += 1;
                j += 1;
            } else if j == m || (i < n && lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
                out.push(Edit::Expected(&ma[i]));
                i += 1;
            } else {
                out.push(Edit::Got(&mb[j]));
                j += 1;
            }
        }
    }
    out.extend(a[a.len() - suffix..].iter().map(|l| Edit::Same(l)));
    out
}

/// The diff of `expected` and `got`, one string per line: `  line` in
/// both, `- line` expected only, `+ line` got only, and `  … N unchanged
/// lines` for a run of more than twice [`CONTEXT`] unchanged lines away
/// from a change. Empty when the lists are equal.
pub(crate) fn lines(expected: &[String], got: &[String]) -> Vec<String> {
    let e = edits(expected, got);
    if e.iter().all(|x| matches!(x, Edit::Same(_))) {
        return Vec::new();
    }
    let near_change = |k: usize| {
        let lo = k.saturating_sub(CONTEXT);
        let hi = (k + CONTEXT).min(e.len() - 1);
        e[lo..=hi].iter().any(|x| !matches!(x, Edit::Same(_)))
    };
    let mut out = Vec::new();
    let mut folded = 0;
    for (k, x) in e.iter().enumerate() {
        match x {
            Edit::Same(l) if near_change(k) => {
                flush(&mut out, &mut folded);
                out.push(format!("  {l}"));
            }
            Edit::Same(_) => folded += 1,
            Edit::Expected(l) => {
                flush(&mut out, &mut folded);
                out.push(format!("- {l}"));
            }
            Edit::Got(l) => {
                flush(&mut out, &mut folded);
                out.push(format!("+ {l}"));
            }
        }
    }
    flush(&mut out, &mut folded);
    out
}

fn flush(out: &mut Vec<String>, folded: &mut usize) {
    match *folded {
        0 => {}
        1 => out.push("  … 1 unchanged line".to_owned()),
        n => out.push(format!("  … {n} unchanged lines")),
    }
    *folded = 0;
}

#[cfg(test)]
mod tests {
    use super::lines;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn equal_lists_have_no_diff() {
        assert!(lines(&v(&["a", "b"]), &v(&["a", "b"])).is_empty());
        assert!(lines(&[], &[]).is_empty());
    }

    #[test]
    fn a_changed_line_is_removed_then_added_in_context() {
        let d = lines(&v(&["a", "b", "c"]), &v(&["a", "x", "c"]));
        assert_eq!(d, ["  a", "- b", "+ x", "  c"]);
    }

    #[test]
    fn inserted_and_missing_lines() {
        assert_eq!(
            lines(&v(&["a", "c"]), &v(&["a", "b", "c"])),
            ["  a", "+ b", "  c"]
        );
        assert_eq!(lines(&v(&["a", "b"]), &v(&["b"])), ["- a", "  b"]);
        assert_eq!(lines(&v(&["a"]), &[]), ["- a"]);
    }

    #[test]
    fn far_unchanged_lines_are_folded() {
        let e: Vec<String> = (0..20).map(|i| format!("l{i}")).collect();
        let mut g = e.clone();
        g[10] = "changed".into();
        let d = lines(&e, &g);
        assert_eq!(
            d,
            [
                "  … 8 unchanged lines",
                "  l8",
                "  l9",
                "- l10",
                "+ changed",
                "  l11",
                "  l12",
                "  … 7 unchanged lines",
            ]
        );
    }

    #[test]
    fn the_common_subsequence_is_kept_across_moves() {
        // b moved from the front to the back: one removal, one addition.
        let d = lines(&v(&["b", "a", "c", "d"]), &v(&["a", "c", "d", "b"]));
        assert_eq!(d, ["- b", "  a", "  c", "  d", "+ b"]);
    }
}
