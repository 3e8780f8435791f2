//! Times in both directions: parsing the durations and lap times a script writes
//! (`1:47.345`, `107.345`, `5s`, `500ms`, `2m`, `1h`) and formatting milliseconds the way ACC
//! renders them in its time strings (`M:SS:mmm`, with a colon before the milliseconds).

use zerocopy::little_endian::U16;

/// The longest duration a script may write (24 h), to keep every sum far from overflow.
pub(crate) const MAX_MS: u64 = 24 * 3_600_000;

/// Parses a duration or lap time into milliseconds. Accepted forms:
/// `H:MM:SS.mmm`, `M:SS.mmm`, `SS.mmm` (seconds), and a number with a unit suffix
/// `ms`, `s`, `m`/`min`, `h`. At most three decimals (millisecond precision).
pub(crate) fn parse_ms(text: &str) -> Result<u64, String> {
    let bad = |why: &str| {
        format!("{text:?} is not a time ({why}); write e.g. 1:47.345, 47.5, 5s, 500ms, 2m or 1h")
    };
    if text.is_empty() {
        return Err(bad("it is empty"));
    }
    let (number, unit_ms) = if let Some(n) = text.strip_suffix("ms") {
        (n, 1)
    } else if let Some(n) = text.strip_suffix("min") {
        (n, 60_000)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60_000)
    } else if let Some(n) = text.strip_suffix('h') {
        (n, 3_600_000)
    } else {
        (text, 0)
    };
    let total = if unit_ms == 0 {
        // Clock form: fields separated by ':', the last one seconds with decimals.
        let parts: Vec<&str> = number.split(':').collect();
        if parts.len() > 3 {
            return Err(bad("too many ':' fields"));
        }
        let (last, rest) = parts.split_last().ok_or_else(|| bad("it is empty"))?;
        let mut ms = decimal_ms(last, 1000).map_err(|why| bad(&why))?;
        let mut scale = 60_000u64;
        for field in rest.iter().rev() {
            if field.is_empty() || !field.bytes().all(|b| b.is_ascii_digit()) || field.len() > 5 {
                return Err(bad("minutes and hours must be whole numbers"));
            }
            let value: u64 = field.parse().map_err(|_| bad("a field is too large"))?;
            ms += value * scale;
            scale *= 60;
        }
        ms
    } else {
        decimal_ms(number, unit_ms).map_err(|why| bad(&why))?
    };
    if total > MAX_MS {
        return Err(bad("it is longer than 24 hours"));
    }
    Ok(total)
}

/// `digits[.fraction]` times `unit_ms`, exact to the millisecond.
fn decimal_ms(text: &str, unit_ms: u64) -> Result<u64, String> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() {
        return Err("there is no number".into());
    }
    if !digits_ok(whole) || !digits_ok(fraction) {
        return Err("only digits, one '.' and a unit are allowed".into());
    }
    if whole.len() > 9 || fraction.len() > 9 {
        return Err("the number is too long".into());
    }
    let whole_value: u64 = if whole.is_empty() {
        0
    } else {
        whole
            .parse()
            .map_err(|_| "the number is too long".to_string())?
    };
    // Fraction scaled to nanoseconds of a unit, then to ms; must land on whole ms.
    let mut frac_units = 0u64; // in 1e-9 units
    let mut scale = 100_000_000u64;
    for b in fraction.bytes() {
        frac_units += u64::from(b - b'0') * scale;
        scale /= 10;
    }
    let frac_scaled = frac_units * unit_ms;
    if !frac_scaled.is_multiple_of(1_000_000_000) {
        return Err("it is more precise than a millisecond".into());
    }
    Ok(whole_value * unit_ms + frac_scaled / 1_000_000_000)
}

/// Writes `ms` as ACC does (`M:SS:mmm`, minutes unpadded) into a UTF-16 field, NUL-terminated.
/// Negative values are written as 0.
pub(crate) fn write_lap_time(dst: &mut [U16], ms: i64) {
    let ms = ms.max(0);
    let text = format!("{}:{:02}:{:03}", ms / 60_000, (ms / 1000) % 60, ms % 1000);
    pitwall_acc::decode::set_utf16(dst, &text);
}

/// Writes a signed delta in seconds with three decimals, e.g. `+0.123`, `-1.250`.
pub(crate) fn write_delta(dst: &mut [U16], ms: i64) {
    let sign = if ms < 0 { '-' } else { '+' };
    let abs = ms.unsigned_abs();
    pitwall_acc::decode::set_utf16(dst, &format!("{sign}{}.{:03}", abs / 1000, abs % 1000));
}

#[cfg(test)]
mod tests {
    use super::*;
    use pitwall_acc::decode::utf16;

    #[test]
    fn parses_every_documented_form() {
        assert_eq!(parse_ms("1:47.345"), Ok(107_345));
        assert_eq!(parse_ms("1:02:03.5"), Ok(3_723_500));
        assert_eq!(parse_ms("47.5"), Ok(47_500));
        assert_eq!(parse_ms("5s"), Ok(5000));
        assert_eq!(parse_ms("1.25s"), Ok(1250));
        assert_eq!(parse_ms("500ms"), Ok(500));
        assert_eq!(parse_ms("2m"), Ok(120_000));
        assert_eq!(parse_ms("3min"), Ok(180_000));
        assert_eq!(parse_ms("1h"), Ok(3_600_000));
        assert_eq!(parse_ms("0"), Ok(0));
    }

    #[test]
    fn rejects_garbage_with_a_hint() {
        for bad in [
            "", "abc", "1:2:3:4", "1.2345", "-5s", "5x", "1:a.0", "25h", ".",
        ] {
            let err = parse_ms(bad).expect_err(bad);
            assert!(err.contains("1:47.345"), "{bad}: {err}");
        }
    }

    #[test]
    fn formats_like_acc() {
        let mut field = [U16::new(0); 15];
        write_lap_time(&mut field, 107_345);
        assert_eq!(utf16(&field), "1:47:345");
        write_lap_time(&mut field, 920_807);
        assert_eq!(utf16(&field), "15:20:807");
        write_lap_time(&mut field, i64::from(i32::MAX));
        assert_eq!(utf16(&field), "35791:23:647");
        write_lap_time(&mut field, 12);
        assert_eq!(utf16(&field), "0:00:012");
        write_delta(&mut field, -1250);
        assert_eq!(utf16(&field), "-1.250");
        write_delta(&mut field, 123);
        assert_eq!(utf16(&field), "+0.123");
    }
}
