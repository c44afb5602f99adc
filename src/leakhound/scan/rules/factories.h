// Factories of the rules in scan/rules/, one per rule; the registry table (scan/rules.cc) refers to them.
#ifndef LEAKHOUND_SCAN_RULES_FACTORIES_H_
#define LEAKHOUND_SCAN_RULES_FACTORIES_H_

#include <memory>

#include "leakhound/scan/rules.h"

namespace leakhound::scan {

std::unique_ptr<Rule> NewAbandonedSender();      // LH001
std::unique_ptr<Rule> NewSendersOutnumberReceives();  // LH002
std::unique_ptr<Rule> NewRangeUnclosed();        // LH003
std::unique_ptr<Rule> NewForSelectNoExit();      // LH004
std::unique_ptr<Rule> NewContextCancelNotCalled();  // LH005
std::unique_ptr<Rule> NewTimerNotStopped();      // LH006
std::unique_ptr<Rule> NewHttpServerNoTimeouts();  // LH007
std::unique_ptr<Rule> NewHandlerGoroutineNoDeadline();  // LH008
std::unique_ptr<Rule> NewResponseBodyNotClosed();  // LH009
std::unique_ptr<Rule> NewContextIgnored();       // LH012
std::unique_ptr<Rule> NewLockMisuse();           // LH010
std::unique_ptr<Rule> NewHandleNeverStopped();   // LH011
std::unique_ptr<Rule> NewNilChannel();           // LH013
std::unique_ptr<Rule> NewRelock();               // LH014
std::unique_ptr<Rule> NewLockAcrossChannel();    // LH015
std::unique_ptr<Rule> NewNeverCompleted();       // LH016
std::unique_ptr<Rule> NewLockOrder();            // LH017
std::unique_ptr<Rule> NewWaitForSelf();          // LH018
std::unique_ptr<Rule> NewGoroutineUntilCancel(); // LH019
std::unique_ptr<Rule> NewBackgroundContext();    // LH021
std::unique_ptr<Rule> NewStopCheckThenBlock();   // LH022
std::unique_ptr<Rule> NewCondWaitUnchecked();    // LH023
std::unique_ptr<Rule> NewConsumerLeavesEarly();  // LH024
std::unique_ptr<Rule> NewRewriteRule();          // LH020: its matches come from scan.cc (ReportRewrites)

}  // namespace leakhound::scan

#endif  // LEAKHOUND_SCAN_RULES_FACTORIES_H_
