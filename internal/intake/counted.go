package intake

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
