//! Tools around the pipeline: a synthetic département for scaling tests
//! ([`synth`]) and the benchmarks behind `tournee bench` ([`bench`](mod@bench)).

pub mod baseline;
pub mod bench;
pub mod synth;
