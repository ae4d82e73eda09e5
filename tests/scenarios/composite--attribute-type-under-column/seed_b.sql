INSERT INTO subscriptions (id, monthly, history) VALUES
    (1, ROW(999, 'EUR'), ARRAY[ROW(899, 'EUR')::price]),
    (3, ROW(50000, 'USD'), NULL);
