// A sample request's states as stored (sample_requests.status):
//   SUBMITTED --approve--> APPROVED --every tube picked--> PICKED --ShipRequest--> PACKED
//   SUBMITTED --reject--> REJECTED
// SHIPPED is never stored: a PACKED request reads as SHIPPED once all its shipments left.
// Its tubes are in hand (picked, not yet gone) while it is PICKED or PACKED.
#ifndef LIMS_CORE_SAMPLE_REQUEST_STATUS_H_
#define LIMS_CORE_SAMPLE_REQUEST_STATUS_H_

namespace lims {

inline constexpr char kRequestSubmitted[] = "SUBMITTED";
inline constexpr char kRequestApproved[] = "APPROVED";
inline constexpr char kRequestRejected[] = "REJECTED";
inline constexpr char kRequestPicked[] = "PICKED";
inline constexpr char kRequestPacked[] = "PACKED";
inline constexpr char kRequestShipped[] = "SHIPPED";

}  // namespace lims

#endif  // LIMS_CORE_SAMPLE_REQUEST_STATUS_H_
