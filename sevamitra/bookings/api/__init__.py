"""JSON API of the booking engine under /api/v1/ (urls: bookings/api_urls.py).

- `base`: the one way an endpoint reads a JSON body and answers errors (DomainError → 4xx);
- `render`: how a booking, hold, series … looks in JSON (phones masked, times in IST);
- `bookings`, `actions`, `series`: thin views, each one selector or service call;
- `docs`: GET /api/v1/openapi.json (the document itself is bookings/openapi.py).
"""
