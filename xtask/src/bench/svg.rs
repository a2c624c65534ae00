//! A small SVG line chart: a few series over one x axis, optional shaded x ranges (a fault's
//! window), axis ticks and a legend. Enough for the benchmark report, without a plotting crate.

use std::fmt::Write as _;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 320.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 150.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 44.0;
const COLOURS: [&str; 6] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
];
const TICKS: usize = 5;

/// One line of the chart.
pub struct Series {
    pub label: String,
    pub points: Vec<(f64, f64)>,
}

/// A chart waiting to be rendered.
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
    /// x ranges drawn shaded behind the lines.
    pub shaded: Vec<(f64, f64)>,
}

impl LineChart {
    /// The chart as a standalone SVG document.
    pub fn render(&self) -> String {
        let points = self.series.iter().flat_map(|series| series.points.iter());
        let (mut x_max, mut y_max) = (0.0_f64, 0.0_f64);
        let mut x_min = f64::INFINITY;
        for &(x, y) in points {
            x_min = x_min.min(x);
            x_max = x_max.max(x);
            y_max = y_max.max(y);
        }
        if !x_min.is_finite() {
            x_min = 0.0;
        }
        if x_max <= x_min {
            x_max = x_min + 1.0;
        }
        let y_max = nice_ceiling(y_max.max(f64::MIN_POSITIVE));
        let plot_width = WIDTH - LEFT - RIGHT;
        let plot_height = HEIGHT - TOP - BOTTOM;
        let to_x = |x: f64| LEFT + (x - x_min) / (x_max - x_min) * plot_width;
        let to_y = |y: f64| TOP + plot_height - y / y_max * plot_height;
        let mut svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
<text x="{}" y="16" text-anchor="middle" font-size="13">{}</text>
"#,
            LEFT + plot_width / 2.0,
            escape(&self.title)
        );
        for &(from, to) in &self.shaded {
            let _ = writeln!(
                svg,
                r##"<rect x="{:.1}" y="{TOP}" width="{:.1}" height="{plot_height}" fill="#f4a582" fill-opacity="0.35"/>"##,
                to_x(from),
                (to_x(to) - to_x(from)).max(0.0)
            );
        }
        for tick in 0..=TICKS {
            let fraction = tick as f64 / TICKS as f64;
            let y_value = y_max * fraction;
            let x_value = x_min + (x_max - x_min) * fraction;
            let _ = writeln!(
                svg,
                r##"<line x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
                LEFT + plot_width,
                LEFT - 6.0,
                to_y(y_value) + 4.0,
                format_number(y_value),
                y = to_y(y_value),
            );
            let _ = writeln!(
                svg,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                to_x(x_value),
                TOP + plot_height + 16.0,
                format_number(x_value)
            );
        }
        let _ = writeln!(
            svg,
            r##"<rect x="{LEFT}" y="{TOP}" width="{plot_width}" height="{plot_height}" fill="none" stroke="#333"/>
<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>
<text transform="translate(16 {:.1}) rotate(-90)" text-anchor="middle">{}</text>"##,
            LEFT + plot_width / 2.0,
            HEIGHT - 8.0,
            escape(&self.x_label),
            TOP + plot_height / 2.0,
            escape(&self.y_label)
        );
        for (index, series) in self.series.iter().enumerate() {
            let colour = COLOURS[index % COLOURS.len()];
            let path: Vec<String> = series
                .points
                .iter()
                .map(|&(x, y)| format!("{:.1},{:.1}", to_x(x), to_y(y)))
                .collect();
            let _ = writeln!(
                svg,
                r#"<polyline fill="none" stroke="{colour}" stroke-width="1.6" points="{}"/>"#,
                path.join(" ")
            );
            let legend_y = TOP + 14.0 + index as f64 * 16.0;
            let legend_x = LEFT + plot_width + 12.0;
            let _ = writeln!(
                svg,
                r#"<line x1="{legend_x}" x2="{:.1}" y1="{legend_y}" y2="{legend_y}" stroke="{colour}" stroke-width="2"/><text x="{:.1}" y="{:.1}">{}</text>"#,
                legend_x + 18.0,
                legend_x + 24.0,
                legend_y + 4.0,
                escape(&series.label)
            );
        }
        svg.push_str("</svg>\n");
        svg
    }
}

/// 1, 2 or 5 times a power of ten, at least `value`.
fn nice_ceiling(value: f64) -> f64 {
    let magnitude = 10_f64.powf(value.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|step| step * magnitude)
        .find(|candidate| *candidate >= value)
        .unwrap_or(10.0 * magnitude)
}

fn format_number(value: f64) -> String {
    if value.abs() >= 100.0 || value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_has_one_line_per_series_its_legend_and_the_shaded_window() {
        let chart = LineChart {
            title: "p95 <latency>".to_owned(),
            x_label: "s".to_owned(),
            y_label: "ms".to_owned(),
            series: vec![
                Series {
                    label: "p95".to_owned(),
                    points: vec![(0.0, 1.0), (1.0, 3.0)],
                },
                Series {
                    label: "p99".to_owned(),
                    points: vec![(0.0, 2.0), (1.0, 7.0)],
                },
            ],
            shaded: vec![(0.2, 0.6)],
        };

        let svg = chart.render();

        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains("p95 &lt;latency&gt;"));
        assert!(svg.contains(r##"fill="#f4a582""##));
        assert!(svg.ends_with("</svg>\n"));
    }

    #[test]
    fn the_y_axis_ends_on_a_round_number() {
        assert_eq!(nice_ceiling(7.0), 10.0);
        assert_eq!(nice_ceiling(130.0), 200.0);
        assert_eq!(nice_ceiling(0.04), 0.05);
    }
}
