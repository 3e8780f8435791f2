//! Lap-time charts as SVG, rendered on the server: no script, no library. Times go up the
//! y axis in m:ss.mmm; the x axis is either lap numbers or dates. Points carry a `<title>` (a
//! tooltip) and a class that the stylesheet colours; reference lines (session best,
//! theoretical best) are dashed and labelled.

use maud::{Markup, html};
use pitwall_core::format::lap_time;

use super::dates::Utc;

/// The viewBox size and the plot's margins.
const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 280.0;
const LEFT: f64 = 78.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 46.0;

/// Steps for the time axis, ms.
const TIME_STEPS: &[u32] = &[
    10, 20, 50, 100, 200, 250, 500, 1_000, 2_000, 2_500, 5_000, 10_000, 15_000, 30_000, 60_000,
    120_000, 300_000, 600_000, 1_800_000, 3_600_000,
];
/// Steps for the lap axis.
const LAP_STEPS: &[u32] = &[1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000];

/// What the x axis shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum XAxis {
    /// Lap numbers.
    Laps,
    /// Times, ms since the epoch, labelled as UTC dates.
    Dates,
}

/// A chart of lap times.
#[derive(Clone, Debug)]
pub(crate) struct Chart {
    /// What it shows, for screen readers.
    pub(crate) title: String,
    /// The x axis.
    pub(crate) x_axis: XAxis,
    /// Lines of points.
    pub(crate) series: Vec<Series>,
    /// Horizontal reference lines.
    pub(crate) lines: Vec<RefLine>,
}

/// Points joined by a line.
#[derive(Clone, Debug)]
pub(crate) struct Series {
    /// CSS class of the line.
    pub(crate) class: &'static str,
    /// Drawn as steps (a record that holds until beaten) rather than straight segments.
    pub(crate) step: bool,
    /// Its points, in x order.
    pub(crate) points: Vec<Point>,
}

/// One point.
#[derive(Clone, Debug)]
pub(crate) struct Point {
    /// Lap number or ms since the epoch.
    pub(crate) x: f64,
    /// Lap time, ms.
    pub(crate) y_ms: u32,
    /// CSS class of the marker.
    pub(crate) class: &'static str,
    /// Its tooltip.
    pub(crate) label: String,
}

/// A horizontal reference line.
#[derive(Clone, Debug)]
pub(crate) struct RefLine {
    /// Where, ms.
    pub(crate) y_ms: u32,
    /// Its label (with the time).
    pub(crate) label: String,
    /// CSS class.
    pub(crate) class: &'static str,
}

/// A linear map from data to the plot.
#[derive(Clone, Copy, Debug)]
struct Scale {
    from: (f64, f64),
    to: (f64, f64),
}

impl Scale {
    fn at(self, v: f64) -> f64 {
        let span = self.from.1 - self.from.0;
        let t = if span > 0.0 {
            (v - self.from.0) / span
        } else {
            0.5
        };
        self.to.0 + t * (self.to.1 - self.to.0)
    }
}

impl Chart {
    /// The chart as an `<svg>`, or a note when there is nothing to draw.
    pub(crate) fn render(&self) -> Markup {
        let points = self.series.iter().flat_map(|s| &s.points);
        let ys = points
            .clone()
            .map(|p| p.y_ms)
            .chain(self.lines.iter().map(|l| l.y_ms));
        let (Some(y_lo), Some(y_hi)) = (ys.clone().min(), ys.max()) else {
            return html! { p.empty { "No timed laps to chart yet." } };
        };
        let xs: Vec<f64> = points.map(|p| p.x).filter(|x| x.is_finite()).collect();
        let x_lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let x_hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (x_lo, x_hi) = if x_lo.is_finite() {
            (x_lo, x_hi)
        } else {
            (0.0, 1.0)
        };

        let y_step = pick(TIME_STEPS, u64::from(y_hi - y_lo), 6);
        let y_min = (y_lo / y_step).saturating_sub(u32::from(y_lo % y_step == 0)) * y_step;
        let y_max = (y_hi / y_step + 1) * y_step;
        let y = Scale {
            from: (f64::from(y_min), f64::from(y_max)),
            to: (HEIGHT - BOTTOM, TOP),
        };
        let (x_from, x_ticks) = self.x_ticks(x_lo, x_hi);
        let x = Scale {
            from: x_from,
            to: (LEFT, WIDTH - RIGHT),
        };
        let y_ticks = (y_min..=y_max).step_by(y_step as usize);
        let x_title = match self.x_axis {
            XAxis::Laps => "Lap",
            XAxis::Dates => "Date (UTC)",
        };
        html! {
            div.chartbox { svg.chart viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-label=(self.title) {
                title { (self.title) }
                g.grid {
                    @for t in y_ticks.clone() {
                        line x1=(n(LEFT)) x2=(n(WIDTH - RIGHT)) y1=(n(y.at(f64::from(t)))) y2=(n(y.at(f64::from(t)))) {}
                    }
                }
                g.axis {
                    line x1=(n(LEFT)) x2=(n(LEFT)) y1=(n(TOP)) y2=(n(HEIGHT - BOTTOM)) {}
                    line x1=(n(LEFT)) x2=(n(WIDTH - RIGHT)) y1=(n(HEIGHT - BOTTOM)) y2=(n(HEIGHT - BOTTOM)) {}
                    @for t in y_ticks {
                        text.ytick x=(n(LEFT - 6.0)) y=(n(y.at(f64::from(t)) + 4.0)) { (lap_time(Some(t))) }
                    }
                    @for (v, label) in &x_ticks {
                        text.xtick x=(n(x.at(*v))) y=(n(HEIGHT - BOTTOM + 16.0)) { (label) }
                    }
                    text.xtitle x=(n((LEFT + WIDTH - RIGHT) / 2.0)) y=(n(HEIGHT - 6.0)) { (x_title) }
                    text.ytitle transform=(format!("translate(12 {}) rotate(-90)", n((TOP + HEIGHT - BOTTOM) / 2.0))) { "Lap time (m:ss.mmm)" }
                }
                @for line in &self.lines {
                    @let at = n(y.at(f64::from(line.y_ms)));
                    line class=(format!("ref {}", line.class)) x1=(n(LEFT)) x2=(n(WIDTH - RIGHT)) y1=(at) y2=(at) {}
                    text class=(format!("reflabel {}", line.class)) x=(n(WIDTH - RIGHT - 4.0)) y=(n(y.at(f64::from(line.y_ms)) - 4.0)) { (line.label) }
                }
                @for series in &self.series {
                    @if series.points.len() > 1 || series.step {
                        polyline class=(format!("series {}", series.class)) points=(path(series, x, y)) {}
                    }
                    @for p in &series.points {
                        circle class=(p.class) cx=(n(x.at(p.x))) cy=(n(y.at(f64::from(p.y_ms)))) r="3.5" {
                            title { (p.label) }
                        }
                    }
                }
            } }
        }
    }

    /// The x range and the labelled ticks.
    fn x_ticks(&self, lo: f64, hi: f64) -> ((f64, f64), Vec<(f64, String)>) {
        match self.x_axis {
            XAxis::Laps => {
                let span = (hi - lo).max(0.0);
                // Lap numbers are small: the float is a whole number of laps.
                let step = f64::from(pick(LAP_STEPS, span as u64, 12));
                let first = (lo / step).ceil() * step;
                let ticks = (0..)
                    .map(|i| first + f64::from(i) * step)
                    .take_while(|v| *v <= hi)
                    .map(|v| (v, format!("{v:.0}")))
                    .collect();
                ((lo - 0.5, hi + 0.5), ticks)
            }
            XAxis::Dates => {
                let day = 86_400_000.0;
                let (lo, hi) = if hi - lo < day / 24.0 {
                    (lo - day / 2.0, hi + day / 2.0)
                } else {
                    let pad = (hi - lo) * 0.04;
                    (lo - pad, hi + pad)
                };
                let long = hi - lo >= 3.0 * day;
                let ticks = (0..5)
                    .map(|i| lo + (hi - lo) * (0.1 + 0.2 * f64::from(i)))
                    .map(|v| {
                        // Dates on the chart are after the epoch and far below u64::MAX.
                        let t = Utc::of(v.max(0.0) as u64);
                        let label = if long {
                            t.date()
                        } else {
                            format!("{} {}", t.month_day(), t.clock())
                        };
                        (v, label)
                    })
                    .collect();
                ((lo, hi), ticks)
            }
        }
    }
}

/// The smallest step that needs at most `max_ticks` ticks over `span`.
fn pick(steps: &[u32], span: u64, max_ticks: u64) -> u32 {
    steps
        .iter()
        .copied()
        .find(|&s| span / u64::from(s) < max_ticks)
        .or_else(|| steps.last().copied())
        .unwrap_or(1)
}

/// The polyline of a series: straight, or steps that hold each value until the next (and
/// the last one to the plot's right edge: a record holds until beaten).
fn path(series: &Series, x: Scale, y: Scale) -> String {
    let mut out = String::new();
    let mut last_y: Option<f64> = None;
    for p in &series.points {
        let (px, py) = (x.at(p.x), y.at(f64::from(p.y_ms)));
        if let (true, Some(ly)) = (series.step, last_y) {
            out.push_str(&format!("{},{} ", n(px), n(ly)));
        }
        out.push_str(&format!("{},{} ", n(px), n(py)));
        last_y = Some(py);
    }
    if let (true, Some(ly)) = (series.step, last_y) {
        out.push_str(&format!("{},{}", n(x.to.1), n(ly)));
    }
    out.trim_end().to_owned()
}

/// A coordinate with one decimal, without a trailing `.0`.
fn n(v: f64) -> String {
    let s = format!("{v:.1}");
    match s.strip_suffix(".0") {
        Some(whole) => whole.to_owned(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn laps_chart(times: &[u32]) -> Chart {
        Chart {
            title: "Lap times".into(),
            x_axis: XAxis::Laps,
            series: vec![Series {
                class: "laps",
                step: false,
                points: times
                    .iter()
                    .zip(1..)
                    .map(|(&t, i)| Point {
                        x: f64::from(i),
                        y_ms: t,
                        class: "pt",
                        label: format!("Lap {i}: {}", lap_time(Some(t))),
                    })
                    .collect(),
            }],
            lines: vec![RefLine {
                y_ms: 106_900,
                label: "Theoretical 1:46.900".into(),
                class: "theo",
            }],
        }
    }

    #[test]
    fn axes_are_labelled_with_units_and_times() {
        let svg = laps_chart(&[107_345, 108_500, 107_900, 107_100]).render().0;
        assert!(
            svg.starts_with("<div class=\"chartbox\"><svg class=\"chart\""),
            "{svg}"
        );
        assert!(svg.contains("Lap time (m:ss.mmm)"));
        assert!(svg.contains(">Lap</text>"));
        // y ticks in m:ss.mmm, x ticks as lap numbers
        assert!(svg.contains(">1:47.000</text>"), "{svg}");
        for lap in 1..=4 {
            assert!(svg.contains(&format!(">{lap}</text>")), "tick {lap}");
        }
        assert!(svg.contains("<title>Lap 2: 1:48.500</title>"));
        assert!(svg.contains("Theoretical 1:46.900"));
    }

    #[test]
    fn every_point_is_drawn_once() {
        let times: Vec<u32> = (0..50).map(|i| 100_000 + i * 37 % 900).collect();
        let svg = laps_chart(&times).render().0;
        assert_eq!(svg.matches("<circle").count(), 50);
        assert_eq!(svg.matches("<polyline").count(), 1);
        let points = svg
            .split("points=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_default();
        assert_eq!(points.split(' ').count(), 50);
    }

    #[test]
    fn points_stay_inside_the_plot() {
        let svg = laps_chart(&[60_000, 180_000]).render().0;
        for cy in svg.split("cy=\"").skip(1) {
            let v: f64 = cy.split('"').next().unwrap_or("").parse().unwrap_or(-1.0);
            assert!((TOP..=HEIGHT - BOTTOM).contains(&v), "{v}");
        }
    }

    #[test]
    fn steps_hold_until_the_next_record_and_dates_label_the_x_axis() {
        let day = 86_400_000.0;
        let chart = Chart {
            title: "PB".into(),
            x_axis: XAxis::Dates,
            series: vec![Series {
                class: "pb",
                step: true,
                points: [(0.0, 90_000), (3.0 * day, 89_000), (9.0 * day, 88_500)]
                    .iter()
                    .map(|&(d, t)| Point {
                        x: 1_714_521_600_000.0 + d,
                        y_ms: t,
                        class: "pt",
                        label: lap_time(Some(t)),
                    })
                    .collect(),
            }],
            lines: vec![],
        };
        let svg = chart.render().0;
        assert!(svg.contains("Date (UTC)"));
        assert!(svg.contains(">2024-05-0"), "{svg}");
        let points = svg.split("points=\"").nth(1).unwrap_or_default();
        let points = points.split('"').next().unwrap_or_default();
        assert_eq!(
            points.split(' ').count(),
            6,
            "3 points, 2 corners, the right edge"
        );
    }

    #[test]
    fn nothing_to_draw_says_so() {
        let svg = laps_chart(&[]).render().0;
        assert!(
            svg.contains("<svg"),
            "a reference line alone still draws axes"
        );
        let empty = Chart {
            lines: vec![],
            ..laps_chart(&[])
        };
        assert!(empty.render().0.contains("No timed laps"));
    }
}
