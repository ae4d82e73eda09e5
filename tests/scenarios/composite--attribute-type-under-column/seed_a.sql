INSERT INTO subscriptions (id, monthly, history) VALUES
    (1, ROW(999, 'EUR'), ARRAY[ROW(899, 'EUR')::price]),
    (2, ROW(1299, 'USD'), NULL);
