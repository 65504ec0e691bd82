//! `baton bench --plot`: throughput against threads, one line per series,
//! drawn with plotters to SVG or PNG.
//!
//! Text is laid out (and, for PNG, rasterized) with `ab_glyph` and the Hack
//! font embedded in the binary (from the `epaint_default_fonts` crate), so
//! the plot needs no system font library.

use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

/// One line of the plot.
pub struct Line {
    /// The legend.
    pub label: String,
    /// `(threads, transactions per second)`, by thread count.
    pub points: Vec<(usize, f64)>,
}

/// The font family the plot names; registered on first use.
const FONT: &str = "sans-serif";

/// Line colours (Tableau 10), cycled.
const COLORS: [(u8, u8, u8); 10] = [
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
];

/// Size of the image in pixels.
const SIZE: (u32, u32) = (900, 560);

/// The output format of `path`, from its extension.
enum Format {
    Svg,
    Png,
}

fn format(path: &Path) -> Option<Format> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("svg") => Some(Format::Svg),
        Some("png") => Some(Format::Png),
        _ => None,
    }
}

/// An error naming `path` unless it ends in `.svg` or `.png` and can be
/// written: its folder exists and a file can be created there (an existing
/// file is left as it is; one created for the check is removed).
pub fn check_path(path: &Path) -> Result<(), String> {
    let fail = |why: String| format!("--plot {}: {why}", path.display());
    if format(path).is_none() {
        return Err(fail("the file must end in .svg or .png".into()));
    }
    if path.is_dir() {
        return Err(fail("is a folder".into()));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.is_dir() {
            return Err(fail(format!("no folder {}", dir.display())));
        }
    }
    let existed = path.exists();
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| fail(format!("cannot write: {e}")))?;
    if !existed {
        std::fs::remove_file(path)
            .map_err(|e| fail(format!("cannot remove the test file: {e}")))?;
    }
    Ok(())
}

/// Register the embedded font once.
fn register_font() -> Result<(), String> {
    static ONCE: Once = Once::new();
    let mut result = Ok(());
    ONCE.call_once(|| {
        result = plotters::style::register_font(
            FONT,
            FontStyle::Normal,
            epaint_default_fonts::HACK_REGULAR,
        )
        .map_err(|_| "the embedded font does not load".to_string());
    });
    result
}

/// Draw `lines` into `path` (`.svg` or `.png`); an error names the path.
pub fn draw(path: &Path, lines: &[Line]) -> Result<(), String> {
    let fail = |why: String| format!("--plot {}: cannot draw the plot: {why}", path.display());
    register_font().map_err(fail)?;
    match format(path) {
        Some(Format::Svg) => chart(SVGBackend::new(path, SIZE).into_drawing_area(), lines),
        Some(Format::Png) => chart(BitMapBackend::new(path, SIZE).into_drawing_area(), lines),
        None => return check_path(path),
    }
    .map_err(fail)
}

fn chart<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, lines: &[Line]) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let max_threads = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.0))
        .max()
        .unwrap_or(1)
        .max(1);
    let max_tps = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .fold(0.0f64, f64::max)
        .max(1.0);
    let mut chart = ChartBuilder::on(&root)
        .caption("Baton: transactions per second against threads", (FONT, 22))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(84)
        // Headroom above the lines for the legend, one row per line.
        .build_cartesian_2d(
            0.5f64..max_threads as f64 + 0.5,
            0.0f64..max_tps * (1.15 + 0.07 * lines.len() as f64),
        )
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("threads")
        .y_desc("transactions per second (median)")
        .x_labels(max_threads.min(16) + 1)
        .x_label_formatter(&|x| {
            if (x - x.round()).abs() < 1e-9 && *x >= 1.0 {
                format!("{}", x.round() as i64)
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|y| format!("{:.0}", y))
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 16))
        .draw()
        .map_err(err)?;
    for (i, line) in lines.iter().enumerate() {
        let (r, g, b) = COLORS[i % COLORS.len()];
        let color = RGBColor(r, g, b);
        let points: Vec<(f64, f64)> = line.points.iter().map(|&(t, y)| (t as f64, y)).collect();
        chart
            .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))
            .map_err(err)?
            .label(line.label.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
        chart
            .draw_series(points.iter().map(|&p| Circle::new(p, 4, color.filled())))
            .map_err(err)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font((FONT, 14))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(err)?;
    root.present().map_err(err)
}
