//! Tests of the guards: hostile files are refused with a located Chinese error, before
//! calamine reads them.
