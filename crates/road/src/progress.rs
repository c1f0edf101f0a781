//! How long work reports its progress without this crate choosing a
//! terminal library: the caller implements [`Progress`] (the `tournee`
//! binary draws indicatif bars), and `&()` reports nothing.

/// Hands out one [`Meter`] per stage of long work.
pub trait Progress: Sync {
    /// A stage named `label` starts (`"reading OSM"`, `"contracting"`,
    /// `"matrix"`); it reports through the returned meter.
    fn stage(&self, label: &'static str) -> Box<dyn Meter>;
}

/// The advance of one stage, in steps whose total it sets first. Shared by
/// the threads that do the work.
pub trait Meter: Send + Sync {
    /// The number of steps of the whole stage.
    fn set_length(&self, steps: u64);
    /// Steps done so far.
    fn set_position(&self, steps: u64);
    /// `steps` more done.
    fn inc(&self, steps: u64);
    /// The stage is over; the meter may disappear.
    fn finish(&self);
}

/// No progress shown: for tests, benchmarks and libraries.
impl Progress for () {
    fn stage(&self, _: &'static str) -> Box<dyn Meter> {
        Box::new(())
    }
}

impl Meter for () {
    fn set_length(&self, _: u64) {}
    fn set_position(&self, _: u64) {}
    fn inc(&self, _: u64) {}
    fn finish(&self) {}
}
