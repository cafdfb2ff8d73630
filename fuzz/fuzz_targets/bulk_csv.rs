//! libFuzzer entry of `jf_fuzz::targets::bulk_csv`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jf_fuzz::targets::bulk_csv(data));
