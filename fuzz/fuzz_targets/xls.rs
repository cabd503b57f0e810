//! Any bytes as an `.xls` file: gonggu reads it or says why not; never a panic, an abort,
//! a hang or gigabytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gonggu_fuzz::read_as("xls", data, false);
});
