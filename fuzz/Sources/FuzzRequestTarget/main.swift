import FuzzerDriver

runLibFuzzer(fuzz)
