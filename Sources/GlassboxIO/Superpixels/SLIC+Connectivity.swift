extension SLIC {
    /// skimage's `_enforce_label_connectivity_cython` on a 2-D label image: the connected pieces of
    /// each label (4-connected), numbered from 0 in row-major order of their first pixel, with
    /// pieces smaller than `minimumSize` given to a neighbouring piece, as in Achanta et al.
    ///
    /// Each piece is grown breadth-first (neighbours in the order x+1, x−1, y+1, y−1) and stops at
    /// `maximumSize` pixels — the rest of a larger piece becomes further pieces, as skimage's
    /// preallocated queue makes it. The neighbour a small piece joins is the last already-numbered
    /// piece met while growing it; a small piece that met none keeps the next number, which the
    /// following piece then shares. Pixels labelled −1 (reached by no centre) stay −1.
    static func enforcingConnectivity(
        _ labels: [Int], height: Int, width: Int, minimumSize: Int, maximumSize: Int
    ) -> [Int] {
        let neighbours = [(1, 0), (-1, 0), (0, 1), (0, -1)]
        var connected = [Int](repeating: -1, count: labels.count)
        var queue = [(y: Int, x: Int)]()
        queue.reserveCapacity(maximumSize)
        var next = 0
        for start in labels.indices where labels[start] != -1 && connected[start] == -1 {
            let label = labels[start]
            var adjacent = next
            connected[start] = next
            queue.removeAll(keepingCapacity: true)
            queue.append((start / width, start % width))
            var visited = 0
            growing: while visited < queue.count && queue.count < maximumSize {
                let (y, x) = queue[visited]
                for (dx, dy) in neighbours {
                    let (row, column) = (y + dy, x + dx)
                    guard (0..<height).contains(row), (0..<width).contains(column) else { continue }
                    let neighbour = row * width + column
                    if labels[neighbour] == label && connected[neighbour] == -1 {
                        connected[neighbour] = next
                        queue.append((row, column))
                        if queue.count >= maximumSize { break growing }
                    } else if connected[neighbour] > -1 && connected[neighbour] != next {
                        adjacent = connected[neighbour]
                    }
                }
                visited += 1
            }
            if queue.count < minimumSize {
                for (y, x) in queue { connected[y * width + x] = adjacent }
            } else {
                next += 1
            }
        }
        return connected
    }
}
