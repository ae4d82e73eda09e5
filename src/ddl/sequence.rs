//! Sequence options, written only where they differ from what PostgreSQL
//! would choose by itself, so generated DDL reads like hand-written DDL.

use crate::catalog::SequenceOptions;

fn type_bounds(data_type: &str) -> (i64, i64) {
    match data_type {
        "smallint" => (i16::MIN as i64, i16::MAX as i64),
        "integer" => (i32::MIN as i64, i32::MAX as i64),
        _ => (i64::MIN, i64::MAX),
    }
}

/// The clauses (`INCREMENT BY 10`, `START WITH 100`, ...) that differ from
/// the defaults for the sequence's type and direction.
pub fn sequence_options(o: &SequenceOptions) -> Vec<String> {
    let (type_min, type_max) = type_bounds(&o.data_type);
    let ascending = o.increment > 0;
    let (default_min, default_max) = if ascending { (1, type_max) } else { (type_min, -1) };
    let default_start = if ascending { o.min_value } else { o.max_value };
    let mut clauses = Vec::new();
    if o.increment != 1 {
        clauses.push(format!("INCREMENT BY {}", o.increment));
    }
    if o.min_value != default_min {
        clauses.push(format!("MINVALUE {}", o.min_value));
    }
    if o.max_value != default_max {
        clauses.push(format!("MAXVALUE {}", o.max_value));
    }
    if o.start != default_start {
        clauses.push(format!("START WITH {}", o.start));
    }
    if o.cache != 1 {
        clauses.push(format!("CACHE {}", o.cache));
    }
    if o.cycle {
        clauses.push("CYCLE".to_string());
    }
    clauses
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(data_type: &str, start: i64, increment: i64, min: i64, max: i64) -> SequenceOptions {
        SequenceOptions {
            data_type: data_type.into(),
            start,
            increment,
            min_value: min,
            max_value: max,
            cache: 1,
            cycle: false,
        }
    }

    #[test]
    fn defaults_are_left_out() {
        assert!(sequence_options(&opts("integer", 1, 1, 1, i32::MAX as i64)).is_empty());
        let descending = opts("bigint", -1, -1, i64::MIN, -1);
        assert_eq!(sequence_options(&descending), ["INCREMENT BY -1"]);
    }

    #[test]
    fn start_defaults_to_the_minimum() {
        let o = opts("integer", 100, 10, 100, i32::MAX as i64);
        assert_eq!(sequence_options(&o), ["INCREMENT BY 10", "MINVALUE 100"]);
    }
}
