//! Structure-aware mutation of JSON documents: one node of the parsed document is replaced
//! by a value that often finds edge cases (numbers at type bounds, NUL and very long
//! strings, wrong types), an element or member is removed or repeated; or a member is
//! written twice (which a parsed document cannot hold).

use serde_json::{Map, Value, json};

use crate::Rng;

/// Replacement values.
fn interesting(rng: &mut Rng) -> Value {
    match rng.below(24) {
        0 => json!(0),
        1 => json!(-1),
        2 => json!(1),
        3 => json!(u32::MAX),
        4 => json!(u64::from(u32::MAX) + 1),
        5 => json!(i64::MAX),
        6 => json!(u64::MAX),
        7 => json!(i64::MIN),
        8 => json!(1e300),
        9 => json!(-0.5),
        10 => json!(9_223_372_036_854_775_808u64),
        11 => json!(""),
        12 => json!("\0"),
        13 => json!("mon\0za"),
        14 => Value::String("x".repeat(1 + rng.below(20_000))),
        15 => json!("\u{FFFF}\u{10FFFF}é"),
        16 => json!("00000000000000a1"),
        17 => json!("ffffffffffffffff"),
        18 => Value::Null,
        19 => json!(true),
        20 => json!([]),
        21 => json!({}),
        22 => json!(rng.next_u64() % 200_000),
        _ => json!(format!("{:016x}", rng.next_u64())),
    }
}

/// How many nodes `v` has (itself included).
fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(items) => items.iter().map(count).sum(),
        Value::Object(map) => map.values().map(count).sum(),
        _ => 0,
    }
}

/// The `n`th node of `v` in pre-order.
fn nth(v: &mut Value, n: usize) -> Option<&mut Value> {
    if n == 0 {
        return Some(v);
    }
    let mut skip = n - 1;
    let children: Vec<&mut Value> = match v {
        Value::Array(items) => items.iter_mut().collect(),
        Value::Object(map) => map.values_mut().collect(),
        _ => return None,
    };
    for child in children {
        let size = count(child);
        if skip < size {
            return nth(child, skip);
        }
        skip -= size;
    }
    None
}

/// Mutates `data` as JSON; false when it is not JSON (then nothing changed).
pub fn mutate(rng: &mut Rng, data: &mut Vec<u8>) -> bool {
    let Ok(mut doc) = serde_json::from_slice::<Value>(data) else {
        return false;
    };
    let n = rng.below(count(&doc));
    let Some(node) = nth(&mut doc, n) else {
        return false;
    };
    match (rng.below(6), node) {
        (0, Value::Array(items)) if !items.is_empty() => {
            let i = rng.below(items.len());
            items.remove(i);
        }
        (1, Value::Array(items)) if !items.is_empty() => {
            let i = rng.below(items.len());
            let copy = items[i].clone();
            items.insert(rng.below(items.len() + 1), copy);
        }
        (0, Value::Object(map)) if !map.is_empty() => {
            let key = map
                .keys()
                .nth(rng.below(map.len()))
                .cloned()
                .unwrap_or_default();
            map.remove(&key);
        }
        (1, Value::Object(map)) => {
            let key = format!("k{}", rng.below(4));
            map.insert(key, interesting(rng));
        }
        (2, Value::Object(map)) if !map.is_empty() => {
            // A member written twice: only text can say that.
            return duplicate_member(rng, data, map);
        }
        (_, node) => *node = interesting(rng),
    }
    *data = doc.to_string().into_bytes();
    true
}

/// Writes a member of `map` a second time right after the object's `{` in `data` (the
/// first object of that shape in the text).
fn duplicate_member(rng: &mut Rng, data: &mut Vec<u8>, map: &Map<String, Value>) -> bool {
    let key = map
        .keys()
        .nth(rng.below(map.len()))
        .cloned()
        .unwrap_or_default();
    let needle = format!("{}:", Value::String(key.clone()));
    let text = String::from_utf8_lossy(data).into_owned();
    let Some(at) = text.find(&needle) else {
        return false;
    };
    let Some(open) = text[..at].rfind('{') else {
        return false;
    };
    let member = format!("{needle}{},", interesting(rng));
    let mut out = text;
    out.insert_str(open + 1, &member);
    *data = out.into_bytes();
    true
}
