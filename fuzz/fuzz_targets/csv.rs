//! Any bytes as a `.csv` file: the encoding sniffer (UTF-8 with or without BOM, GB18030),
//! the parsing thread, header detection and value parsing. The first byte picks `--strict`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (strict, rest) = match data.split_first() {
        Some((b, rest)) => (b & 1 == 1, rest),
        None => (false, data),
    };
    gonggu_fuzz::read_as("csv", rest, strict);
});
