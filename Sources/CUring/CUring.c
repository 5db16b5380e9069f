#include "CUring.h"
