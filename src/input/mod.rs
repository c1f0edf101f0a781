//! Input: what the user gives. The commune table ([`territory`]), the
//! scenario ([`scenario`]: buses, sessions, frequency rule, month, travel
//! model), the service sites ([`sites`]) and a saved plan ([`plan_csv`]).
//! Every reader reports the file, line and field of a bad value, and
//! every range check lives here, in the constructors.

pub mod communes;
pub mod horaires;
pub mod plan_csv;
pub mod scenario;
pub mod sheet;
pub mod sites;
mod table;
pub mod territory;
