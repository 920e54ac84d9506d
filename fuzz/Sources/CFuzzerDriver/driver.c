// Declarations only: LLVMFuzzerRunDriver is in libFuzzer (include/CFuzzerDriver.h).
#include "CFuzzerDriver.h"
