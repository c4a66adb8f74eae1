/* glassbox-engine.h — the whole public engine API. */
#pragma once
#include "gb-common.h"
#include "gb-dataset.h"
#include "gb-variable.h"
#include "gb-logistic.h"
#include "gb-design.h"
#include "gb-metrics.h"
#include "gb-model.h"
#include "gb-integrated-gradients.h"
#include "gb-fairness.h"
#include "gb-causal.h"
#include "gb-plot.h"
#include "gb-audit.h"
