package intake

import "github.com/pistahq/pista/internal/problem"

// count records the outcome of answered submissions in the metrics:
// created, merged into a known lead, replayed from a stored answer, or
// refused.
func (s *Service) count(subs []*submission) {
	if s.metrics == nil {
		return
	}
	var created, merged, replayed, refused int
	for _, sub := range subs {
		switch {
		case sub == nil:
		case sub.err == nil && (sub.res == nil || (sub.idem != nil && sub.idem.Replayed)):
			replayed++
		default:
			switch sub.outcome() {
			case Created:
				created++
			case Merged:
				merged++
			default: // Invalid, Failed
				refused++
			}
		}
	}
	s.metrics.Inquiries("created", created)
	s.metrics.Inquiries("merged", merged)
	s.metrics.Inquiries("replayed", replayed)
	s.metrics.Inquiries("refused", refused)
}

// countEvents records a batch of events in the metrics: accepted when
// stored, refused when the batch was (a replay counts as neither).
func (s *Service) countEvents(n int, ans Answer[*EventsResult], err error) {
	if s.metrics == nil {
		return
	}
	if _, refused := problem.As(err); refused {
		s.metrics.Events("refused", n)
	} else if err == nil && !ans.Replayed {
		s.metrics.Events("accepted", n)
	}
}
