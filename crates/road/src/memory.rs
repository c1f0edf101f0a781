//! The memory guard: a matrix that would not fit is refused up front, with
//! the estimate, instead of the process being killed halfway.

use crate::error::{Error, ErrorKind, Result};

/// Bytes a matrix cell costs from query to output: the packed weight (8),
/// the plan's seconds and metres (16), and room for the CSV text (8).
pub const MATRIX_CELL_BYTES: u64 = 32;

/// The process's peak resident memory so far, bytes (Linux `VmHWM`);
/// `None` where the kernel does not say.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Memory a matrix may use: `limit` when the caller sets one (for tests
/// and shared machines), else the kernel's `MemAvailable`; `None` where
/// neither is known.
fn available_memory(limit: Option<u64>) -> Option<u64> {
    if limit.is_some() {
        return limit;
    }
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Refuses up front a matrix between `points` points that would not fit in
/// memory (`limit` bytes, or the kernel's `MemAvailable` without one), with
/// the estimate, instead of being killed halfway.
pub fn ensure_matrix_fits(points: usize, limit: Option<u64>) -> Result<()> {
    let needed = (points as u64)
        .saturating_mul(points as u64)
        .saturating_mul(MATRIX_CELL_BYTES);
    match available_memory(limit) {
        Some(available) if needed > available => Err(Error {
            kind: ErrorKind::TooLarge,
            file: None,
            line: None,
            message: format!(
                "a {points} × {points} matrix needs about {} ({MATRIX_CELL_BYTES} bytes a pair) but {} of memory is available: split the points into blocks of at most {} and run them separately",
                human_bytes(needed),
                human_bytes(available),
                ((available / MATRIX_CELL_BYTES) as f64).sqrt() as u64
            ),
        }),
        _ => Ok(()),
    }
}

/// `1.2 GB`, `35 MB`: memory sizes as people read them.
fn human_bytes(bytes: u64) -> String {
    if bytes >= 1_000_000_000 {
        format!("{:.1} GB", bytes as f64 / 1e9)
    } else {
        format!("{} MB", bytes.div_ceil(1_000_000))
    }
}
