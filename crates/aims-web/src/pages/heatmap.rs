//! The risk heat map as server-rendered SVG: likelihood (up) by impact (across), each cell coloured by the risk
//! method's matrix level and showing how many risks sit in it. Cells with risks are links to the register filtered
//! to that cell, with a spoken label; a table with the same counts goes alongside for those who do not see it.

use aims_domain::risk::{RiskMethod, Score};

const CELL_W: usize = 62;
const CELL_H: usize = 40;
const LEFT: usize = 104;
const TOP: usize = 6;
const BOTTOM: usize = 46;
const RIGHT: usize = 6;

/// Row and column of a score in a grid (0-based), if both points are positive.
fn cell_index(s: &Score) -> Option<(usize, usize)> {
    usize::try_from(s.likelihood - 1)
        .ok()
        .zip(usize::try_from(s.impact - 1).ok())
}

/// Risks per cell of the matrix for one view (inherent or residual).
#[derive(Debug, Clone)]
pub struct Grid {
    /// `inherent` or `residual`.
    pub which: &'static str,
    /// `counts[likelihood - 1][impact - 1]`.
    pub counts: Vec<Vec<usize>>,
    /// Scores that lie outside the method's scales (assessed with an older method version).
    pub off_scale: usize,
}

impl Grid {
    /// An empty grid shaped like `method`'s matrix.
    pub fn new(method: &RiskMethod, which: &'static str) -> Grid {
        Grid {
            which,
            counts: vec![vec![0; method.impact.len()]; method.likelihood.len()],
            off_scale: 0,
        }
    }

    /// Counts `n` risks with the same score (a group of an aggregate query).
    pub fn add_count(&mut self, s: &Score, n: usize) {
        let cell = cell_index(s).and_then(|(l, i)| self.counts.get_mut(l)?.get_mut(i));
        match cell {
            Some(c) => *c += n,
            None => self.off_scale += n,
        }
    }

    /// A grid of `which` filled from counts per score.
    pub fn of_counts(method: &RiskMethod, which: &'static str, counts: &[(Score, i64)]) -> Grid {
        let mut g = Grid::new(method, which);
        for (s, n) in counts {
            g.add_count(s, usize::try_from(*n).unwrap_or(0));
        }
        g
    }

    /// Risks in the cell of `s`, 0 off the scales.
    pub fn at(&self, s: &Score) -> usize {
        cell_index(s)
            .and_then(|(l, i)| self.counts.get(l)?.get(i).copied())
            .unwrap_or(0)
    }

    /// Risks counted on the map.
    pub fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }
}

/// One row of the text alternative: a likelihood point and the counts per impact point.
pub struct TableRow {
    /// Likelihood label (`5 · Almost certain`).
    pub likelihood: String,
    /// Counts per impact point, least severe first.
    pub counts: Vec<usize>,
}

/// The text alternative of a grid: rows from the most likely down.
pub fn table(method: &RiskMethod, g: &Grid) -> Vec<TableRow> {
    (0..method.likelihood.len())
        .rev()
        .map(|l| TableRow {
            likelihood: format!("{} · {}", l + 1, method.likelihood[l].label),
            counts: g.counts.get(l).cloned().unwrap_or_default(),
        })
        .collect()
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Line height of axis labels.
const LINE: usize = 12;

/// The lines of an axis label as `<tspan>`s at `x`, the first at the text's own `y`.
fn tspans(lines: &[String], x: usize) -> String {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let dy = if i == 0 { 0 } else { LINE };
            format!("<tspan x=\"{x}\" dy=\"{dy}\">{}</tspan>", esc(l))
        })
        .collect()
}

/// Dark or light ink for text on `colour` (`#rrggbb`), whichever contrasts more.
pub fn ink_on(colour: &str) -> &'static str {
    let c = |i: usize| {
        u8::from_str_radix(colour.get(i..i + 2).unwrap_or("80"), 16).unwrap_or(128) as f64 / 255.0
    };
    let lin = |v: f64| {
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * lin(c(1)) + 0.7152 * lin(c(3)) + 0.0722 * lin(c(5));
    // Contrast against white is 1.05 / (l + 0.05); against near-black (#111) about (l + 0.05) / 0.056.
    if 1.05 / (l + 0.05) >= (l + 0.05) / 0.0556 {
        "#ffffff"
    } else {
        "#111111"
    }
}

/// Renders the heat map of `g` under `method` as an SVG element. `href(l, i)` is the link of a cell with risks.
pub fn svg(
    method: &RiskMethod,
    g: &Grid,
    title: &str,
    href: impl Fn(usize, usize) -> String,
) -> String {
    let rows = method.likelihood.len();
    let cols = method.impact.len();
    let impact_labels: Vec<Vec<String>> = (method.impact.iter().enumerate())
        .map(|(i, p)| aims_domain::text::wrap(&format!("{} {}", i + 1, p.label), 11))
        .collect();
    // Room below the matrix for the tallest impact label, then the axis title.
    let below = impact_labels.iter().map(Vec::len).max().unwrap_or(1).max(1) * LINE - LINE;
    let w = LEFT + cols * CELL_W + RIGHT;
    let h = TOP + rows * CELL_H + BOTTOM + below;
    let total = g.total();
    let mut s = format!(
        "<svg class=\"heatmap\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"group\" \
         aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(&format!(
            "{title}: {total} {} by likelihood and impact; cells with risks are links",
            if total == 1 { "risk" } else { "risks" }
        ))
    );
    for (li, lp) in method.likelihood.iter().enumerate() {
        let y = TOP + (rows - 1 - li) * CELL_H;
        let lines = aims_domain::text::wrap(&format!("{} {}", li + 1, lp.label), 16);
        // Centred on the row: each further line moves the first up by half a line.
        let first = (y + CELL_H / 2 + 4).saturating_sub((lines.len().max(1) - 1) * LINE / 2);
        s.push_str(&format!(
            "<text class=\"axis\" x=\"{}\" y=\"{first}\" text-anchor=\"end\" aria-hidden=\"true\">{}<title>{}</title></text>",
            LEFT - 8,
            tspans(&lines, LEFT - 8),
            esc(&format!("Likelihood {} · {}", li + 1, lp.label)),
        ));
        for (ii, ip) in method.impact.iter().enumerate() {
            let x = LEFT + ii * CELL_W;
            let level = method.level_of(&Score {
                likelihood: li as i64 + 1,
                impact: ii as i64 + 1,
            });
            let (colour, label) = level.map_or(("#cccccc", "no level"), |l| {
                (l.colour.as_str(), l.label.as_str())
            });
            let n = g
                .counts
                .get(li)
                .and_then(|r| r.get(ii))
                .copied()
                .unwrap_or(0);
            let spoken = format!(
                "{n} {} at likelihood {} ({}) and impact {} ({}), level {label}",
                if n == 1 { "risk" } else { "risks" },
                li + 1,
                lp.label,
                ii + 1,
                ip.label
            );
            let rect = format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{}\"{}/>",
                x + 1,
                y + 1,
                CELL_W - 2,
                CELL_H - 2,
                esc(colour),
                if n == 0 { " fill-opacity=\"0.22\"" } else { "" }
            );
            if n == 0 {
                s.push_str(&format!(
                    "<g class=\"cell empty\" aria-hidden=\"true\">{rect}<title>{}</title></g>",
                    esc(&spoken)
                ));
            } else {
                s.push_str(&format!(
                    "<a class=\"cell\" href=\"{}\" aria-label=\"{}\">{rect}<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" \
                     class=\"count\" fill=\"{}\">{n}</text><title>{}</title></a>",
                    esc(&href(li + 1, ii + 1)),
                    esc(&spoken),
                    x + CELL_W / 2,
                    y + CELL_H / 2 + 6,
                    ink_on(colour),
                    esc(&spoken)
                ));
            }
        }
    }
    for ((ii, ip), lines) in method.impact.iter().enumerate().zip(&impact_labels) {
        let x = LEFT + ii * CELL_W + CELL_W / 2;
        let y = TOP + rows * CELL_H + 15;
        s.push_str(&format!(
            "<text class=\"axis\" x=\"{x}\" y=\"{y}\" text-anchor=\"middle\" aria-hidden=\"true\">{}<title>{}</title></text>",
            tspans(lines, x),
            esc(&format!("Impact {} · {}", ii + 1, ip.label)),
        ));
    }
    s.push_str(&format!(
        "<text class=\"axis-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" aria-hidden=\"true\">Impact →</text>",
        LEFT + cols * CELL_W / 2,
        TOP + rows * CELL_H + 36 + below
    ));
    s.push_str(&format!(
        "<text class=\"axis-title\" x=\"12\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 12 {})\" aria-hidden=\"true\">Likelihood →</text>",
        TOP + rows * CELL_H / 2,
        TOP + rows * CELL_H / 2
    ));
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_land_in_their_cells_and_off_scale_scores_are_counted_apart() {
        let m = aims_app::risks::default_method().unwrap();
        let mut g = Grid::new(&m, "inherent");
        g.add_count(
            &Score {
                likelihood: 3,
                impact: 4,
            },
            1,
        );
        g.add_count(
            &Score {
                likelihood: 3,
                impact: 4,
            },
            1,
        );
        g.add_count(
            &Score {
                likelihood: 9,
                impact: 1,
            },
            1,
        );
        assert_eq!(g.counts[2][3], 2);
        assert_eq!((g.total(), g.off_scale), (2, 1));
        let out = svg(&m, &g, "Inherent <risk>", |l, i| {
            format!("/risks?l={l}&i={i}")
        });
        assert!(out.contains("href=\"/risks?l=3&amp;i=4\""));
        assert!(
            out.contains("2 risks at likelihood 3 (Possible) and impact 4 (Major), level High")
        );
        assert!(out.contains("Inherent &lt;risk&gt;"));
        let rows = table(&m, &g);
        assert_eq!(rows[0].likelihood, "5 · Almost certain");
        assert_eq!(rows[2].counts, [0, 0, 0, 2, 0]);
    }

    #[test]
    fn long_axis_labels_wrap_between_words_and_are_never_cut() {
        let mut m = aims_app::risks::default_method().unwrap();
        m.likelihood[4].label = "Almost certain within the year".into();
        m.impact[4].label = "Severe and lasting harm".into();
        let out = svg(&m, &Grid::new(&m, "inherent"), "Inherent", |_, _| {
            String::new()
        });
        assert!(!out.contains('…'), "a label was cut");
        for line in [
            "5 Almost certain",
            "within the year",
            "5 Severe",
            "and lasting",
            "harm",
        ] {
            assert!(out.contains(&format!(">{line}</tspan>")), "{line}: {out}");
        }
    }

    #[test]
    fn ink_contrasts_with_the_fill() {
        assert_eq!(ink_on("#f9a825"), "#111111");
        assert_eq!(ink_on("#c62828"), "#ffffff");
        assert_eq!(ink_on("#2e7d32"), "#ffffff");
    }
}
