//! The widget's languages: message keys and English text, the negotiation
//! of which language a widget speaks, shipped catalogs fetched on demand,
//! and errors told to end users in their language.
pub(crate) mod catalog;
mod errors;
mod locale;
mod messages;

pub use catalog::set_catalog_loader;
pub use errors::describe;
pub use locale::{shipped_catalog, Language, SHIPPED};
pub use messages::{placeholders, Key, Messages};
