"""The waiting list for a full slot: joining it, the offer that holds a freed resource for the
first member on it, accepting or leaving, and the job that ends lapsed offers.

Above bookings (accepting an offer books); bookings reads only the open offers of `models`,
since an offer holds its resource against every other booking and on the grid."""
