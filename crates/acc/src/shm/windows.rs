//! Windows named file mappings `Local\acpmf_*` (placeholder).
