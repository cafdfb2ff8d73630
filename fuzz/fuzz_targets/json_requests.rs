//! libFuzzer entry of `jf_fuzz::targets::json_requests`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jf_fuzz::targets::json_requests(data));
