//! Which rows of a long list to put in the DOM: only those in view plus a margin, so that 10,000 entries
//! scroll as smoothly as 10.

/// The rows to render: `start..end`, and the offset of the first one in pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start: usize,
    pub end: usize,
    pub offset_px: u32,
}

/// Rows `start..end` cover the viewport (`scroll_top`, `viewport_px`) with `overscan` extra rows on each
/// side, for fixed-height rows of `row_px`. Never more than `max_rows`.
pub fn window(
    len: usize,
    row_px: u32,
    scroll_top: f64,
    viewport_px: f64,
    overscan: usize,
    max_rows: usize,
) -> Window {
    let row = f64::from(row_px.max(1));
    let first_visible = if scroll_top.is_finite() && scroll_top > 0.0 {
        (scroll_top / row) as usize
    } else {
        0
    };
    let visible = if viewport_px.is_finite() && viewport_px > 0.0 {
        (viewport_px / row).ceil() as usize
    } else {
        0
    };
    let start = first_visible.saturating_sub(overscan).min(len);
    let end = (first_visible + visible + overscan)
        .min(len)
        .min(start + max_rows);
    Window {
        start,
        end,
        offset_px: (start as u32).saturating_mul(row_px),
    }
}

// Native only: the property tests use proptest, which does not target wasm32.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn covers_the_viewport_with_overscan() {
        assert_eq!(
            window(10_000, 50, 0.0, 500.0, 5, 100),
            Window {
                start: 0,
                end: 15,
                offset_px: 0
            }
        );
        assert_eq!(
            window(10_000, 50, 5000.0, 500.0, 5, 100),
            Window {
                start: 95,
                end: 115,
                offset_px: 4750
            }
        );
        assert_eq!(window(3, 50, 0.0, 500.0, 5, 100).end, 3);
        assert_eq!(
            window(0, 50, 100.0, 500.0, 5, 100),
            Window {
                start: 0,
                end: 0,
                offset_px: 0
            }
        );
        assert_eq!(window(100, 50, f64::NAN, f64::INFINITY, 5, 100).start, 0);
    }

    proptest! {
        #[test]
        fn never_more_than_the_cap_and_always_in_range(
            len in 0usize..20_000, row in 1u32..200, top in 0.0f64..2.0e6, view in 0.0f64..4000.0,
        ) {
            let w = window(len, row, top, view, 5, 100);
            prop_assert!(w.start <= w.end && w.end <= len);
            prop_assert!(w.end - w.start <= 100);
            // The first visible row is rendered whenever it exists.
            let first = (top / f64::from(row)) as usize;
            if first < len && view >= f64::from(row) {
                prop_assert!(w.start <= first && first < w.end);
            }
        }
    }
}
