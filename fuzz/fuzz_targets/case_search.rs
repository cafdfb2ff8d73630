//! libFuzzer entry of `jf_fuzz::targets::case_search`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jf_fuzz::targets::case_search(data));
