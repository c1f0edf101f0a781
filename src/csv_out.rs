//! The one way a CSV file is written: in memory, whole, before anything
//! reaches the disk, with the file's name in every error.

use crate::error::{Error, Result};

/// A CSV file being rendered.
pub(crate) struct CsvOut {
    name: String,
    writer: csv::Writer<Vec<u8>>,
}

impl CsvOut {
    /// A comma-separated file called `name` in messages.
    pub fn new(name: &str) -> CsvOut {
        CsvOut::with(name, &csv::WriterBuilder::new())
    }

    /// A file called `name`, spelt as `builder` says (delimiter, quoting).
    pub fn with(name: &str, builder: &csv::WriterBuilder) -> CsvOut {
        CsvOut::after(name, builder, Vec::new())
    }

    /// A file spelt as `builder` says that starts with `preamble` (a
    /// byte-order mark, say).
    pub fn after(name: &str, builder: &csv::WriterBuilder, preamble: Vec<u8>) -> CsvOut {
        CsvOut {
            name: name.to_string(),
            writer: builder.from_writer(preamble),
        }
    }

    /// Writes one record.
    pub fn row<I, T>(&mut self, record: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.writer.write_record(record).map_err(|e| self.failed(e))
    }

    /// The file's bytes.
    pub fn finish(self) -> Result<Vec<u8>> {
        let name = self.name;
        self.writer
            .into_inner()
            .map_err(|e| Error::internal(format!("rendering {name}: {e}")))
    }

    fn failed(&self, e: csv::Error) -> Error {
        Error::internal(format!("rendering {}: {e}", self.name))
    }
}
